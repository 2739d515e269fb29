"""Unannounced inspection 督察组不打招呼列席 (R-MTG-1 observers, R-SUP-2).

A member of a district inspection group (org DistrictRole "inspection", current today) may walk into any
open meeting of any unit of that district: they register themselves as an observer — nobody from the unit
invites or approves them, that is the point of "unannounced" — and the registration is a ledger act.
Once recorded at the meeting they read it like every attendee (rules.can_view: the room while it is open,
the sealed minutes afterwards); an observer never states or votes (services.state refuses anyone but
present members). Before registering, an inspection member sees only that the meeting exists (the gate
page with the button); everyone else outside the meeting gets 404 as before.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, Forbidden, NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import District, DistrictRoleKind

from . import rules
from .models import Attendance, AttendanceRole, Meeting, MeetingState


def inspected_districts(person: Person) -> QuerySet[District]:
    """Districts in whose inspection group the person serves today."""
    ids = org.district_roles_of(person).filter(role=DistrictRoleKind.INSPECTION).values("district_id")
    return District.objects.filter(pk__in=ids)


def is_inspection_member(person: Person, district: District) -> bool:
    return inspected_districts(person).filter(pk=district.pk).exists()


def can_observe(person: Person, meeting: Meeting) -> bool:
    return meeting.state == MeetingState.OPEN and is_inspection_member(person, meeting.unit.district)


def is_registered(person: Person, meeting: Meeting) -> bool:
    return meeting.attendance.filter(person=person).exists()


def get_observable_meeting(person: Person, meeting_id: int) -> Meeting:
    """A meeting the person may see or, as an inspection member of its district, walk into; 404 alike
    for unknown meetings and meetings of other districts."""
    meeting = Meeting.objects.select_related("unit", "unit__district", "chair").filter(pk=meeting_id).first()
    if meeting is None or not person.is_authenticated:
        raise NotFound()
    if rules.can_view(person, meeting) or is_inspection_member(person, meeting.unit.district):
        return meeting
    raise NotFound()


def open_meetings_for(person: Person) -> QuerySet[Meeting]:
    """Open meetings of the districts the person inspects, for the inspection page."""
    return (
        Meeting.objects.filter(state=MeetingState.OPEN, unit__district__in=inspected_districts(person))
        .select_related("unit", "chair")
        .order_by("-date", "-id")
    )


@transaction.atomic
def observe(*, by: Person, meeting: Meeting) -> Attendance:
    """Register the caller as an unannounced observer of an open meeting (R-SUP-2), in the ledger.

    Registering twice is harmless: the existing row is returned and nothing new is recorded."""
    meeting = Meeting.objects.select_for_update().select_related("unit", "unit__district").get(pk=meeting.pk)
    if not is_inspection_member(by, meeting.unit.district):
        raise Forbidden("R-SUP-2", "只有本区督察组成员可以不打招呼列席会议", {"meeting": meeting.pk})
    if meeting.state != MeetingState.OPEN:
        raise Conflict("R-MTG-7", "会议已闭会封存，不能再列席", {"meeting": meeting.pk})
    existing = meeting.attendance.filter(person=by).first()
    if existing is not None:
        return existing
    attendance = Attendance.objects.create(
        meeting=meeting, person=by, role=AttendanceRole.OBSERVER, invited_by=by
    )
    ledger.record(
        "meeting.inspection_observe",
        by=by,
        unit=meeting.unit.code,
        subject=meeting.ref,
        payload={
            "person": by.username,
            "role": AttendanceRole.OBSERVER,
            "district": meeting.unit.district.code,
        },
    )
    return attendance
