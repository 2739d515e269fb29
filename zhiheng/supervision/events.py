"""Ledger event codes of the supervision app (R-SUP-1): stable once written (entries are hashed)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

REPORT_ISSUED = register("supervision.report_issued", _("月度财务明细生成"))
REPORT_ACKNOWLEDGED = register("supervision.report_acknowledged", _("月度财务明细确认已阅"))
REMARK_ADDED = register("supervision.remark_added", _("月度财务明细纪检意见"))
RULES_SET = register("supervision.rules_set", _("月度汇报规则设置"))
