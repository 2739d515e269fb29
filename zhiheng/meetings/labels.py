"""The meetings app's codes in Chinese (zhiheng.web.labels): meeting kinds and states, item kinds,
attendance roles, positions and decisions; meetings and their items as the ledger names them
(`meeting:8`, `meeting:8/item:11`, `meeting-rules:unit:<code>`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import (
    DECISION_LABELS,
    AttendanceRole,
    Item,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingState,
    Position,
)
from .parameters import LABELS as RULE_LABELS


def _meetings(rests: list[str]) -> dict[str, str]:
    """ "8" → "#8 <title>"; "8/item:11" → "… · 议题 1. <title>" (read after the kind's name, 会议)."""
    meeting_ids, item_ids = set(), set()
    for rest in rests:
        head, _sep, tail = rest.partition("/")
        if head.isdigit():
            meeting_ids.add(int(head))
        if tail.startswith("item:") and tail[5:].isdigit():
            item_ids.add(int(tail[5:]))
    meetings = {m.pk: m for m in Meeting.objects.filter(pk__in=meeting_ids).select_related("unit")}
    items = {i.pk: i for i in Item.objects.filter(pk__in=item_ids)}
    out = {}
    for rest in rests:
        head, _sep, tail = rest.partition("/")
        meeting = meetings.get(int(head)) if head.isdigit() else None
        text = f"#{head}" + (f" {meeting}" if meeting is not None else "")
        if tail.startswith("item:"):
            item = items.get(int(tail[5:])) if tail[5:].isdigit() else None
            text += f" · {_('议题')} " + (str(item) if item is not None else f"#{tail[5:]}")
        out[rest] = text
    return out


labels.register_each(
    "meeting",
    kind=MeetingKind,
    state=MeetingState,
    item_kind=ItemKind,
    attendance_role=AttendanceRole,
    position=Position,
    decision=DECISION_LABELS,
    rule_field=RULE_LABELS,
)
labels.register_subject("meeting", _meetings, name=_("会议"))
labels.register_subject("item", _("议题"))
labels.register_subject("meeting-rules", labels.rules_of(_("议事规则")))
labels.register_fields(
    {
        "kind": (_("类型"), "meeting.kind,meeting.item_kind"),
        "role": (_("角色"), "meeting.attendance_role"),
        "position": (_("表态"), "meeting.position"),
        "decision": (_("决定"), "meeting.decision"),
        "outcome": (_("结果"), "meeting.decision"),
        "meeting": (_("会议"), "@"),
        "decider": (_("决定者"), "@"),
        "chair": (_("主持人"), "@person"),
        "presenter": (_("汇报人"), "@person"),
        "member": (_("成员"), "@person"),
        "recommender": (_("推荐人"), "@person"),
        "blind": _("背靠背表态"),
        "blind_statements": _("背靠背表态"),
        "category": _("类别"),
        "date": _("日期"),
        "rules": _("议事规则"),
        "quorum": _("法定人数"),
        "personnel_quorum": _("人事议题法定人数"),
        "num": _("分子"),
        "den": _("分母"),
        "strict": _("须超过"),
        "record_window": _("会议日期窗口"),
        "past_days": _("可早于今天（天）"),
        "future_days": _("可晚于今天（天）"),
        "added": _("新登记"),
        "present": (_("出席"), "@person"),
        "recused": _("回避"),
        "roll": (_("表态名单"), "@person"),
        "roll_frozen_at": _("名单冻结时间"),
        "item": _("议题"),
        "items": _("议题"),
        "number": _("序号"),
        "seq": _("表态顺序"),
        "candidate": _("人选"),
        "candidates": _("候选人"),
        "recommended_by": (_("推荐人"), "@person"),
        "winner": _("当选"),
        "agree": _("同意"),
        "disagree": _("不同意"),
        "defer": _("缓议"),
        "tally": _("计票"),
        "counted": _("计入表决"),
        "statements": _("表态"),
        "digest": _("摘要哈希"),
        "salt": _("盐值"),
        "blocked": _("未能生效"),
        "deferred": _("缓议原因"),
        "reason": _("理由"),
        "team": (_("班子成员"), "@person"),
        "meeting.item_decided/late": _("迟到成员"),
        "meeting.sealed/late": _("迟到成员"),
        "changed": (_("变更项"), "meeting.rule_field"),
    }
)
