"""Ledger event codes of the risk app."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

WARNING_RAISED = register("risk.warning_raised", _("风险预警产生"))
WARNING_RESOLVED = register("risk.warning_resolved", _("风险预警处理"))
