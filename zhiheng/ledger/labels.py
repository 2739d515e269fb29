"""The ledger's codes in Chinese (zhiheng.web.labels): event types (their registered names, events.py)
and the reasons a checkpoint was signed ("count", "manual", "meeting:8 sealed",
"powers.plan_filed <unit> v2")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from . import events

REASONS = {
    "count": _("新增记录达到条数"),
    "time": _("新增记录等待已久"),
    "hourly": _("每小时例行签发"),
    "manual": _("纪委管理员手动签发"),
    "first-request": _("首次请求证明"),
    "meeting-closed": _("会议闭会"),
}


def _event(code: str) -> str | None:
    try:
        return str(events.get(code).label)
    except LookupError:
        return None


def _reason(reason: str) -> str | None:
    """ "meeting:8 sealed" → "会议 #8 纪要封存"; "<event code> <unit> v2" → "<event name>（<unit name> v2）".

    Every signed-in person reads the checkpoint list, whatever their unit: a sealed meeting is named by
    its number only, never by its title (a title says what another unit decided)."""
    head, _sep, rest = reason.partition(" ")
    if rest == "sealed" and ":" in head:
        kind, _colon, number = head.partition(":")
        what = labels.subject_name(kind) or kind
        return _("%(what)s #%(number)s 纪要封存") % {"what": what, "number": number}
    name = _event(head)
    if name is None:
        return None
    unit, _sep, version = rest.partition(" ")
    where = " ".join(p for p in (labels.subject(f"unit:{unit}") if unit else "", version) if p)
    return f"{name}（{where}）" if where else name


labels.register("ledger.checkpoint_reason", REASONS)
labels.register_formatter("ledger.checkpoint_reason", _reason)
labels.register_formatter("ledger.event", _event)
labels.register_fields({"index": _("序号"), "i": _("序号")})
