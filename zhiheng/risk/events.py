"""Ledger event codes of the risk app."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

WARNING_RAISED = register("risk.warning_raised", _("风险预警产生"))
WARNING_RESOLVED = register("risk.warning_resolved", _("风险预警处理"))
WARNING_ESCALATED = register("risk.warning_escalated", _("风险预警逾期未处理，转区纪委"))
THRESHOLDS_SET = register("risk.thresholds_set", _("预警阈值设置"))
