"""Attendance (R-MTG-1, 8): who is at the meeting, as member, inspector or observer; additive."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid

from .. import rules, selectors
from ..models import Attendance, AttendanceRole, Meeting


@transaction.atomic
def record_attendance(
    *, by: Person, meeting: Meeting, present: Iterable[Person] = (), observers: Iterable[Person] = ()
) -> list[Attendance]:
    """R-MTG-1: attendance is additive (arrivals are recorded; nobody is struck out of the record).

    Present voting members (principal, deputies on the date) attend as members; the unit inspector,
    named in either list, attends as the inspector (observer, and required in working groups, R-MTG-8);
    anyone else is an observer — invited representatives, a district inspection group — recorded with
    who registered them.
    """
    meeting = selectors.locked_meeting(meeting)
    rules.ensure_manage(by, meeting)
    rules.ensure_started(meeting)
    voting = {p.pk for p in selectors.voting_members(meeting.unit, meeting.date)}
    inspector = selectors.inspector_of(meeting.unit, meeting.date)
    wanted: dict[int, tuple[Person, str]] = {}
    errors: list[str] = []
    for person in present:
        if inspector is not None and person.pk == inspector.pk:
            wanted[person.pk] = (person, AttendanceRole.INSPECTOR)
        elif person.pk in voting:
            wanted[person.pk] = (person, AttendanceRole.MEMBER)
        else:
            errors.append(person.username)
    if errors:
        raise Invalid(
            "R-MTG-1", "出席名单只能包含会议日期在任的班子成员；其他人员请登记为列席", {"present": errors}
        )
    for person in observers:
        if person.pk in voting:
            raise Invalid("R-MTG-1", "班子成员应登记为出席而非列席", {"observers": [person.username]})
        role = (
            AttendanceRole.INSPECTOR
            if inspector is not None and person.pk == inspector.pk
            else AttendanceRole.OBSERVER
        )
        wanted.setdefault(person.pk, (person, role))
    existing = set(meeting.attendance.values_list("person_id", flat=True))
    added = [
        Attendance.objects.create(meeting=meeting, person=person, role=role, invited_by=by)
        for pk, (person, role) in wanted.items()
        if pk not in existing
    ]
    if added:
        ledger.record(
            "meeting.attendance",
            by=by,
            unit=meeting.unit.code,
            subject=meeting.ref,
            payload={"added": [{"person": a.person.username, "role": a.role} for a in added]},
        )
    return selectors.attendance_of(meeting)
