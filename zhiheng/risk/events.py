"""Ledger event codes of the risk app."""

from zhiheng.ledger.events import register

WARNING_RAISED = register("risk.warning_raised", "风险预警产生")
WARNING_RESOLVED = register("risk.warning_resolved", "风险预警处理")
