"""Reads of the meetings app: visibility, the rules in force, the facts of an item for the tally, and
what a given viewer may see of an item's statements (blind mode, R-MTG-3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import Membership, Role, Unit

from . import integrity, matters_link, rules, tally
from .models import Attendance, AttendanceRole, Item, Meeting, MeetingKind, MeetingRules, Statement


def _rules_row(unit: Unit) -> MeetingRules | None:
    """The unit's own rules, else its district's default, else None (SPEC defaults)."""
    rows = list(
        MeetingRules.objects.filter(Q(unit=unit) | Q(unit__isnull=True, district_id=unit.district_id))
    )
    own = [r for r in rows if r.unit_id == unit.pk]
    return (own or rows or [None])[0]


def rules_for(unit: Unit) -> tally.Rules:
    row = _rules_row(unit)
    return row.as_rules() if row else tally.Rules()


def meeting_rules(meeting: Meeting) -> tally.Rules:
    """The rules frozen on the meeting when it was convened; older meetings use the unit's current."""
    if not meeting.rules:
        return rules_for(meeting.unit)
    from fractions import Fraction

    def threshold(share: dict) -> tally.Threshold:
        return tally.Threshold(Fraction(share["num"], share["den"]), bool(share["strict"]))

    return tally.Rules(
        quorum=threshold(meeting.rules["quorum"]),
        personnel_quorum=threshold(meeting.rules["personnel_quorum"]),
    )


def blind_for(unit: Unit) -> bool:
    row = _rules_row(unit)
    return bool(row and row.blind_statements)


def voting_members(unit: Unit, day: dt.date) -> list[Person]:
    """The voting team on a date: the principal and the deputies holding a term (org.VOTING_ROLES)."""
    terms = org.current(Membership.objects.filter(unit=unit, role__in=[Role.PRINCIPAL, Role.DEPUTY]), day)
    return [m.person for m in terms.select_related("person").order_by("role", "start", "person__username")]


def inspector_of(unit: Unit, day: dt.date) -> Person | None:
    term = org.current(Membership.objects.filter(unit=unit, role=Role.INSPECTOR), day).select_related(
        "person"
    )
    first = term.first()
    return first.person if first else None


def list_meetings_for(person: Person, unit: Unit | None = None) -> QuerySet[Meeting]:
    """Meetings a person may see (rules.can_view), newest first."""
    if not person.is_authenticated:
        return Meeting.objects.none()
    team_units = Membership.objects.filter(
        person=person, role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]
    )
    admin_districts = org.administered_districts(person).values("pk")
    qs = Meeting.objects.filter(
        Q(unit__in=team_units.values("unit_id"))
        | Q(unit__district__in=admin_districts)
        | Q(attendance__person=person)
    ).distinct()
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit", "chair").order_by("-date", "-id")


def get_meeting_for(person: Person, meeting_id: int) -> Meeting:
    """404 alike for unknown and invisible meetings."""
    meeting = Meeting.objects.select_related("unit", "unit__district", "chair").filter(pk=meeting_id).first()
    if meeting is None or not rules.can_view(person, meeting):
        raise NotFound()
    return meeting


def get_item(meeting: Meeting, item_id: int) -> Item:
    item = meeting.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


@dataclass
class ItemState:
    """Everything the rules and the tally need about one item at one moment."""

    item: Item
    members: list[Person]
    principal: Person | None
    present: set[str]
    inspector_present: bool
    recused: dict[str, str]
    statements: list[Statement]
    matter: Any = None
    extra: dict = field(default_factory=dict)
    late: set[str] = field(default_factory=set)  # arrived after the item's roll was frozen

    @property
    def voters(self) -> set[str]:
        return self.present - set(self.recused)

    @property
    def stated(self) -> set[str]:
        return {s.person.username for s in self.statements}

    @property
    def waiting_for(self) -> set[str]:
        """Voters who have not stated yet: the close waits for them or for an explicit deferral."""
        return self.voters - self.stated

    def facts(self) -> tally.ItemFacts:
        return tally.ItemFacts(
            team=frozenset(p.username for p in self.members),
            present=frozenset(self.present),
            votes=tuple(
                tally.Vote(s.person.username, s.position, s.candidate.name if s.candidate else None)
                for s in self.statements
                if s.counted
            ),
            recused=frozenset(self.recused),
            personnel=self.item.kind == "personnel",
            candidates=tuple(c.name for c in self.item.candidates.all()),
            needs_inspector=self.item.meeting.kind == MeetingKind.WORKING_GROUP,
            inspector_present=self.inspector_present,
        )


def item_state(item: Item) -> ItemState:
    """The item's facts now. Once the first statement froze the item's roll (R-MTG-3, issue 9 hole 3),
    `present` is that roll: members registered later are `late` for the item and count nowhere."""
    meeting = item.meeting
    members = voting_members(meeting.unit, meeting.date)
    member_ids = {p.pk for p in members}
    attendance = list(meeting.attendance.select_related("person"))
    arrived = {
        a.person.username for a in attendance if a.role == AttendanceRole.MEMBER and a.person_id in member_ids
    }
    present = set(item.roll) if item.roll_frozen_at else arrived
    inspector_present = any(a.role == AttendanceRole.INSPECTOR for a in attendance)
    principal = next(
        (p for p in members if Role.PRINCIPAL in org.roles_of(p, meeting.unit, meeting.date)), None
    )
    matter = matters_link.get(item.matter_id)
    recused = integrity.recusals(item, members, matter)
    statements = list(item.statements.select_related("person", "candidate").order_by("seq"))
    state = ItemState(item, members, principal, present, inspector_present, recused, statements, matter)
    state.late = arrived - present
    return state


def statements_visible_to(item: Item, viewer: Person, statements: list[Statement]) -> list[dict]:
    """R-MTG-3 blind mode: while the meeting is open, members see who has stated and in which order,
    but only their own position; after the seal everybody who sees the meeting sees everything."""
    hidden = item.meeting.blind and not item.meeting.is_sealed
    rows = []
    for s in statements:
        show = not hidden or s.person_id == viewer.pk
        rows.append(
            {
                "seq": s.seq,
                "member": s.person.username,
                "name": s.person.name,
                "at": s.created_at,
                "hidden": not show,
                "position": s.position if show else None,
                "position_label": str(s.get_position_display()) if show else None,
                "reason": s.reason if show else None,
                "candidate": s.candidate.name if show and s.candidate else None,
                "counted": s.counted,
            }
        )
    return rows


def attendance_of(meeting: Meeting) -> list[Attendance]:
    return list(meeting.attendance.select_related("person", "invited_by").order_by("role", "id"))
