"""Ledger event codes of the matters app (every transition of R-MAT-1)."""

from zhiheng.ledger.events import register

SUBMITTED = register("matter.submitted", "事项提交")
REFERRED = register("matter.referred", "提交集体会审")
JOINT_OPINION = register("matter.joint_opinion", "执法会审意见")
APPROVED = register("matter.approved", "事项批准")
REJECTED = register("matter.rejected", "事项否定")
COLLECTIVE = register("matter.collective_decision", "集体会审决定")
COSIGNED = register("matter.cosigned", "领导会签")
VETOED = register("matter.vetoed", "一把手否决")
EXECUTED = register("matter.executed", "事项执行")
WITHDRAWN = register("matter.withdrawn", "事项撤回")
EVIDENCE = register("matter.evidence_added", "上传佐证材料")
BUDGET_LINE = register("matter.budget_line_set", "预算指标登记")
RULES_SET = register("matter.rules_set", "事项规则设置")
