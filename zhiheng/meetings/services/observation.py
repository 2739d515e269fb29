"""Unannounced inspection 督察组不打招呼列席 (R-MTG-1 observers, R-SUP-2).

A member of a district inspection group (org DistrictRole "inspection", current today) may walk into any
open meeting of any unit of that district: they register themselves as an observer — nobody from the unit
invites or approves them, that is the point of "unannounced" — and the registration is a ledger act.
Once recorded at the meeting they read it like every attendee (rules.can_view: the room while it is open,
the sealed minutes afterwards); an observer never states or votes (rules.statement_refusal refuses anyone
but present members). Before registering, an inspection member sees only that the meeting exists (the
gate page with the button, selectors.get_observable_meeting); everyone else outside the meeting gets 404
as before.
"""

from __future__ import annotations

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person

from .. import rules, selectors
from ..models import Attendance, AttendanceRole, Meeting


@transaction.atomic
def observe(*, by: Person, meeting: Meeting) -> Attendance:
    """Register the caller as an unannounced observer of an open meeting (R-SUP-2), in the ledger.

    Registering twice is harmless: the existing row is returned and nothing new is recorded."""
    meeting = selectors.locked_meeting(meeting)
    rules.ensure_observe(by, meeting)
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
