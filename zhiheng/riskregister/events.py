"""Ledger event codes of the risk register: stable once written (entries are hashed). Payloads hold ids,
codes, grades, dates and the reason of a change; a point's text (description, measures) is recorded as its
SHA-256 (`content`), so the ledger proves each version without repeating it."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

from . import parameters  # noqa: F401  (registers the "riskregister" parameter set at start-up)

PROPOSED = register("riskregister.point_proposed", _("登记廉政风险点"))
CHANGED = register("riskregister.point_changed", _("修改廉政风险点"))
REGRADED = register("riskregister.point_regraded", _("调整廉政风险等级"))
PUBLISHED = register("riskregister.point_published", _("公示廉政风险点"))
REVIEWED = register("riskregister.point_reviewed", _("复核廉政风险点"))
REVIEW_REQUIRED = register("riskregister.review_required", _("要求复核廉政风险点"))
RETIRED = register("riskregister.point_retired", _("停用廉政风险点"))
RULES_SET = register("riskregister.rules_set", _("廉政风险防控规则设置"))
