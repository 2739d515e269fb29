"""The inspections app's codes in Chinese (zhiheng.web.labels): severities, rectification states, and
checks and findings named as `inspection:<id>` / `finding:<id>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .parameters import LABELS as RULE_LABELS
from .states import FindingState, Severity

labels.register_each("inspections", severity=Severity, state=FindingState)
labels.register_subject("inspection", _("督察检查"))
labels.register_subject("finding", _("整改事项"))
labels.register_subject("inspection-rules", labels.rules_of(_("督察检查规则")))
labels.register("inspections.rule_field", RULE_LABELS)
labels.register_fields({**RULE_LABELS, "changed": (_("变更项"), "inspections.rule_field")})
labels.register_fields(
    {
        "inspection": _("督察检查编号"),
        "group": _("督察组"),
        "expires_at": _("授权截止"),
        "seed": _("抽样种子"),
        "population": _("抽样总体"),
        "sample": _("抽样结果"),
        "what": (_("调阅对象"), "@"),
        "conclusion": _("检查结论"),
        "reads": _("调阅次数"),
        "severity": (_("严重程度"), "inspections.severity"),
        "deadline": _("整改期限"),
        "owner": (_("整改责任人"), "@person"),
        "concerns": (_("涉及人员"), "@person"),
        "evidence": _("证据"),
        "response": _("整改情况"),
        "inspection.rectification_accepted/note": _("验收意见"),
        "state": (_("状态"), "inspections.state"),  # 待验收, 已销号 in the rectification entries
    }
)
