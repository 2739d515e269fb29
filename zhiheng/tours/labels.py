"""The tours' codes in Chinese (zhiheng.web.labels): tours, rectifications, opinions and leads named as
`tour:<id>`, `tour-rectification:<id>`, …, the method's fields, and the fields of the tours' ledger
entries (named per event, so no other app's "title" or "state" reads differently)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from . import events
from .parameters import LABELS as RULE_LABELS

labels.register_subject("tour", _("巡察"))
labels.register_subject("tour-rectification", _("巡察整改问题"))
labels.register_subject("tour-opinion", _("巡察意见"))
labels.register_subject("tour-lead", _("巡察移交线索"))
labels.register_subject("tour-rules", labels.rules_of(_("巡察工作法")))
labels.register("tours.rule_field", RULE_LABELS)

FIELDS: dict[str, Any] = {
    "tour": _("巡察编号"),
    "title": _("名称"),
    "started_on": _("开始日期"),
    "done_on": _("结束日期"),
    "units": (_("被巡察单位"), "@unit"),
    "team": (_("巡察组成员"), "@person"),
    "steps": _("巡察步骤"),
    "step": _("已完成步骤"),
    "step_name": _("步骤"),
    "content": _("内容摘要（SHA-256）"),
    "way": _("了解情况方式"),
    "count": _("意见条数"),
    "target": (_("被巡察单位"), "@unit"),
    "collected_on": _("收集日期"),
    "deadline": _("整改期限"),
    "principal": (_("时任一把手"), "@person"),
    "state": (_("状态"), "inspections.state"),
    "closed_on": _("销号日期"),
    "late": _("逾期销号"),
    "report_case": _("并入案件"),
    "opinions": _("意见建议条数"),
    "rectifications": _("整改问题个数"),
    "leads": _("移交线索条数"),
}
EVENTS = (
    events.OPENED,
    events.STEP,
    events.DONE,
    events.OPINIONS,
    events.RECTIFICATION,
    events.ANSWERED,
    events.CLOSED,
    events.LEAD,
    events.HISTORY,
)
labels.register_fields({f"{event.code}/{key}": spec for event in EVENTS for key, spec in FIELDS.items()})
labels.register_fields({f"{events.RULES_SET.code}/{key}": name for key, name in RULE_LABELS.items()})
