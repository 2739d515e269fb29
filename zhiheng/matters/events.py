"""Ledger event codes of the matters app (every transition of R-MAT-1)."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

SUBMITTED = register("matter.submitted", _("事项提交"))
REFERRED = register("matter.referred", _("提交集体会审"))
JOINT_OPINION = register("matter.joint_opinion", _("执法会审意见"))
APPROVED = register("matter.approved", _("事项批准"))
REJECTED = register("matter.rejected", _("事项否定"))
COLLECTIVE = register("matter.collective_decision", _("集体会审决定"))
COSIGNED = register("matter.cosigned", _("领导会签"))
VETOED = register("matter.vetoed", _("一把手否决"))
EXECUTED = register("matter.executed", _("事项执行"))
WITHDRAWN = register("matter.withdrawn", _("事项撤回"))
EVIDENCE = register("matter.evidence_added", _("上传佐证材料"))
BUDGET_LINE = register("matter.budget_line_set", _("预算指标登记"))
RULES_SET = register("matter.rules_set", _("事项规则设置"))
COLLECTIVE_BLOCKED = register("matter.collective_blocked", _("集体决定未能生效"))
HANDED_OVER = register("matter.handed_over", _("事项转由现分管副职办理"))
COSIGNER_REPLACED = register("matter.cosigner_replaced", _("会签人变更"))
