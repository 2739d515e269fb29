"""Ledger event codes of the unit rules: stable once written (entries are hashed). Payloads hold ids, codes,
numbers, dates, the meeting and item that adopted a version, the powers, and the SHA-256 of the text
(`content`), so the ledger proves each version without repeating it."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

RULE_ADOPTED = register("unitrules.rule_adopted", _("通过单位制度"))
RULE_REVISED = register("unitrules.rule_revised", _("修订单位制度"))
RULE_REPEALED = register("unitrules.rule_repealed", _("废止单位制度"))
MODEL_CREATED = register("unitrules.model_created", _("新增制度范本"))
MODEL_CHANGED = register("unitrules.model_changed", _("修改制度范本"))
MODEL_WITHDRAWN = register("unitrules.model_withdrawn", _("停用制度范本"))
