"""The risk register's codes in Chinese (zhiheng.web.labels): statuses, types, grades, points named as
`risk-point:<id>`, and the fields of its ledger entries (named per event, so no other app's "grade" or
"type" reads differently)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from . import events
from .parameters import LABELS as RULE_LABELS
from .states import Grade, RiskType, Status

labels.register_each("riskregister", status=Status, type=RiskType, grade=Grade)
labels.register_subject("risk-point", _("廉政风险点"))
labels.register_subject("riskregister-rules", labels.rules_of(_("廉政风险防控规则")))
labels.register("riskregister.rule_field", RULE_LABELS)
# A revision's action (Revision.action: the last part of its ledger event code), as the point's page shows it.
labels.register(
    "riskregister.action",
    {
        "point_proposed": _("登记"),
        "point_changed": _("修改"),
        "point_regraded": _("调整等级"),
        "point_published": _("公示"),
        "point_reviewed": _("复核"),
        "review_required": _("要求复核"),
        "point_retired": _("停用"),
    },
)

FIELDS: dict[str, Any] = {
    "point": _("风险点编号"),
    "version": _("版本"),
    "power": (_("职权"), "@power/"),
    "type": (_("风险类型"), "riskregister.type"),
    "importance": _("权力重要程度"),
    "discretion": _("自由裁量权大小"),
    "probability": _("发生概率"),
    "harm": _("危害程度"),
    "score": _("风险分值"),
    "grade": (_("风险等级"), "riskregister.grade"),
    "old_grade": (_("原风险等级"), "riskregister.grade"),
    "owner": (_("责任人"), "@person"),
    "status": (_("状态"), "riskregister.status"),
    "review_due": _("下次复核"),
    "content": _("内容摘要（SHA-256）"),
    "reason": _("理由"),
    "note": _("复核意见"),
}
POINT_EVENTS = (
    events.PROPOSED,
    events.CHANGED,
    events.REGRADED,
    events.PUBLISHED,
    events.REVIEWED,
    events.REVIEW_REQUIRED,
    events.RETIRED,
)
labels.register_fields(
    {f"{event.code}/{key}": spec for event in POINT_EVENTS for key, spec in FIELDS.items()}
)
labels.register_fields({f"{events.RULES_SET.code}/{key}": name for key, name in RULE_LABELS.items()})
# How the values read (zhiheng.web.labels keys readings by the plain key: a reading only relabels a value of
# its own vocabulary, so another app's "type" or "status" reads as before).
labels.register_fields(
    {
        "type": (_("类型"), "riskregister.type"),
        "grade": (_("等级"), "riskregister.grade"),
        "old_grade": FIELDS["old_grade"],
        "status": (_("状态"), "riskregister.status"),
        "owner": (_("责任人"), "@person"),
        "power": (_("职权"), "@power/"),
    }
)
