"""Ledger event codes of inspection tours (R-GATE-5): stable once written (entries are hashed). Payloads hold
ids, unit codes, usernames, counts, names of steps and ways, and dates; the text of opinions, evidence and
leads is recorded as its SHA-256 (`content`), so the ledger proves it without repeating it."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

from . import parameters  # noqa: F401  (registers the "tours" parameter set at start-up)

OPENED = register("tours.opened", _("开展巡察"))
STEP = register("tours.step_completed", _("完成巡察步骤"))
DONE = register("tours.done", _("巡察结束"))
OPINIONS = register("tours.opinions_recorded", _("登记巡察意见"))
RECTIFICATION = register("tours.rectification_opened", _("交办整改问题"))
ANSWERED = register("tours.rectification_answered", _("报告整改情况"))
CLOSED = register("tours.rectification_closed", _("整改问题销号"))
LEAD = register("tours.lead_transferred", _("移交问题线索"))
RULES_SET = register("tours.rules_set", _("巡察工作法设置"))
HISTORY = register("tours.history_recorded", _("补录历史巡察"))
