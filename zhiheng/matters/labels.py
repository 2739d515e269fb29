"""The matters app's codes in Chinese (zhiheng.web.labels): states, kinds, history actions, co-sign and
joint-review roles, opinions, collective-review reasons and a meeting decision's effect on a matter; matters,
budget lines and matter rules as the ledger names them (`matter:42`, `budget:<unit>/<code>`,
`matter-rules:unit:<code>`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import BudgetLine, Matter, MatterKind
from .parameters import LABELS as RULE_LABELS
from .parameters import ROLE_LABELS
from .requirements import REASON_LABELS
from .states import MatterState

ACTIONS = {
    "submitted": _("提交"),
    "approved": _("批准"),
    "rejected": _("否定"),
    "referred": _("提交集体会审"),
    "vetoed": _("一把手否决"),
    "joint_opinion": _("执法会审意见"),
    "cosigned": _("会签"),
    "executed": _("执行"),
    "withdrawn": _("撤回"),
    "collective": _("集体会审决定"),
    "collective_pass": _("集体会审通过"),
    "collective_reject": _("集体会审未通过"),
    "collective_defer": _("集体会审缓议"),
    "collective_blocked": _("集体决定未能生效"),
    "handed_over": _("转由现分管副职办理"),
    "cosigner_replaced": _("会签人变更"),
    "evidence_added": _("上传佐证材料"),
}
# Who sits on an enforcement joint review (R-MAT-7), beside the co-signers' roles (R-MAT-4).
PANEL_ROLES = {"deputy": _("分管副职"), "legal_officer": _("法制员"), "inspector": _("纪检组长")}
EFFECTS = {
    "approved": _("事项已批准"),
    "awaiting_cosign": _("事项待会签"),
    "rejected": _("事项未获通过"),
    "returned": _("事项退回待议"),
    "blocked": _("会议通过但未能生效"),
}


def _matters(pks: list[str]) -> dict[str, str]:
    ids = [int(pk) for pk in pks if pk.isdigit()]
    titles = dict(Matter.objects.filter(pk__in=ids).values_list("pk", "title"))
    return {str(pk): f"#{pk} {titles.get(pk, '')}".strip() for pk in ids}


labels.register_each(
    "matter",
    state=MatterState,
    kind=MatterKind,
    action=ACTIONS,
    cosign_role=ROLE_LABELS,
    panel_role=PANEL_ROLES,
    opinion={"agree": _("同意"), "disagree": _("不同意")},
    collective_reason=REASON_LABELS,
    effect=EFFECTS,
    rule_field=RULE_LABELS,
)
labels.register_subject("matter", _matters, name=_("事项"))
labels.register_subject("budget", labels.by_unit_code(BudgetLine.objects), name=_("预算指标"))
labels.register_subject("matter-rules", labels.rules_of(_("事项规则")))
labels.register_fields(
    {
        "state": (_("状态"), "matter.state"),
        "note": _("说明"),
        "notes": _("附注"),
        "kind": (_("类型"), "matter.kind"),
        "title": _("标题"),
        "amount": (_("金额"), "yuan"),
        "reserved": (_("占用预算"), "yuan"),
        "counterparty": _("相对方"),
        "budget_line": (_("预算指标"), "@budget/"),
        "collective": (_("须集体会审的原因"), "matter.collective_reason"),
        "restricted": _("不直接分管"),
        "joint_review": _("须执法会审"),
        "cosign": (_("会签人"), "@person"),
        "opinion": (_("意见"), "matter.opinion"),
        "role": (_("角色"), "matter.cosign_role,matter.panel_role"),
        "matter": (_("事项"), "@matter"),
        "to": (_("转交给"), "@person"),
        "self_interest": _("本人为提交人或相对方"),
        "merged": _("合并"),
        "message": _("说明"),
        "size": _("大小（字节）"),
        "sha256": _("SHA-256"),
        "effect": (_("执行结果"), "matter.effect"),
        "effect_detail": _("执行结果说明"),
        **{field: (name, "matter.kind,matter.cosign_role") for field, name in RULE_LABELS.items()},
        "major_powers": (RULE_LABELS["major_powers"], "@power/"),
        "legal_officer": (_("法制员"), "@person"),
        "changed": (_("变更项"), "matter.rule_field"),
    }
)
