"""What makes a text a unit's rule (R-PIL-2): the sealed meeting of the unit and its agenda item that passed
it, on the meeting's date — or, for a rule the unit adopted before it joined the system, no meeting and a
date before that day. Checked in one place for creating, revising, adopting from a model and repealing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.meetings.models import Item, Meeting
from zhiheng.meetings.tally import PASSED
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power

from .. import selectors
from ..errors import NotAdopted

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Adoption:
    adopted: dt.date
    meeting: Meeting | None
    item: Item | None


def _meeting(ref: Meeting | int | None) -> Meeting | None:
    if ref is None or isinstance(ref, Meeting):
        return ref
    return Meeting.objects.filter(pk=ref).first()


def _item(ref: Item | int | None) -> Item | None:
    if ref is None or isinstance(ref, Item):
        return ref
    return Item.objects.filter(pk=ref).first()


def adoption(
    unit: Unit,
    *,
    meeting: Meeting | int | None,
    item: Item | int | None,
    adopted: dt.date | None,
    legacy: bool = True,
) -> Adoption:
    """The date and the meeting of an adoption (or a repeal), or the refusal: 422 R-PIL-2 for a meeting of
    another unit, one not sealed, an item not of it or not passed, a date other than the meeting's, a date
    in the future, or no meeting for a rule adopted since the unit joined the system."""
    today = clock.today()
    if meeting is None and item is None:
        onboarded = selectors.onboarded_on(unit)
        if not legacy or adopted is None or adopted >= onboarded:
            raise NotAdopted(
                detail={
                    "fields": {"meeting": ["须注明通过该制度的会议及议题"]},
                    "legacy_before": onboarded.isoformat() if legacy else None,
                }
            )
        if adopted > today:
            raise NotAdopted(detail={"fields": {"adopted": ["通过日期不能晚于今天"]}})
        return Adoption(adopted, None, None)
    found_meeting, found_item = _meeting(meeting), _item(item)
    problems: dict[str, list[str]] = {}
    if found_meeting is None or found_meeting.unit_id != unit.pk:
        problems["meeting"] = ["须为本单位的会议"]
    elif not found_meeting.is_sealed:
        problems["meeting"] = ["会议尚未封存：未封存的会议还不能作为通过依据"]
    if found_item is None or found_meeting is None or found_item.meeting_id != found_meeting.pk:
        problems["item"] = ["须为该会议的议题"]
    elif found_item.decision != PASSED:
        problems["item"] = ["该议题未获通过"]
    if problems:
        raise NotAdopted(detail={"fields": problems, "meeting": getattr(meeting, "pk", meeting)})
    assert found_meeting is not None and found_item is not None
    if adopted is not None and adopted != found_meeting.date:
        raise NotAdopted(
            detail={"fields": {"adopted": [f"通过日期须为会议日期 {found_meeting.date.isoformat()}"]}}
        )
    if found_meeting.date > today:
        raise NotAdopted(detail={"fields": {"adopted": ["通过日期不能晚于今天"]}})
    return Adoption(found_meeting.date, found_meeting, found_item)


def check_text(*, code: str | None = None, title: str, body: str, group: str) -> None:
    fields: dict[str, list[str]] = {}
    if code is not None and not CODE.match(code):
        fields["code"] = ["编号须为 1–32 位字母、数字、连字符或下划线"]
    if not title.strip() or len(title.strip()) > 128:
        fields["title"] = ["标题必填，不超过 128 字"]
    if not body.strip():
        fields["body"] = ["正文必填"]
    if len(group.strip()) > 64:
        fields["group"] = ["分组不超过 64 字"]
    if fields:
        raise Invalid("validation", "制度填写有误", {"fields": fields})


def check_powers(unit: Unit, powers: list[Power]) -> None:
    foreign = [p.code for p in powers if p.unit_id != unit.pk]
    if foreign:
        raise Invalid(
            "validation", "制度填写有误", {"fields": {"powers": [f"本单位没有职权：{'、'.join(foreign)}"]}}
        )
