"""Reads of the meetings app: visibility, the rules in force, the facts of an item for the tally, what a
given viewer may see of an item's statements (blind mode, R-MTG-3), the matters a meeting may take up,
and the open meetings an inspection group may walk into (R-SUP-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound
from zhiheng.inspections import selectors as inspections
from zhiheng.inspections import services as inspection_reads
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters.models import Matter
from zhiheng.org import selectors as org
from zhiheng.org.models import District, DistrictRoleKind, Membership, Role, Unit
from zhiheng.powers.selectors import deputy_in_charge

from . import eligibility, rules, tally
from . import parameters as meeting_parameters
from .models import (
    Attendance,
    AttendanceRole,
    Candidate,
    Item,
    Meeting,
    MeetingKind,
    MeetingState,
    Recommendation,
    Statement,
)

PERSONNEL_KINDS = {"personnel_appointment", "personnel_action"}  # matters.MatterKind


def rules_for(unit: Unit) -> tally.Rules:
    """The quorum shares in force for the unit today (the "meetings" parameter set)."""
    return meeting_parameters.as_tally(meeting_parameters.in_force(unit)[0])


def meeting_rules(meeting: Meeting) -> tally.Rules:
    """The rules frozen on the meeting when it was convened; older meetings use the unit's current."""
    if not meeting.rules:
        return rules_for(meeting.unit)
    return meeting_parameters.as_tally(meeting.rules)


def blind_for(unit: Unit) -> bool:
    return bool(meeting_parameters.in_force(unit)[0]["blind_statements"])


def voting_terms(unit: Unit, day: dt.date) -> list[Membership]:
    """The voting team's terms on a date, with their people: the principal's and the deputies' terms
    covering it (org.VOTING_ROLES), in the team's order. One query; who is principal or deputy on the
    date is read off them (what `org.roles_of` would answer for each member, without a query each)."""
    terms = org.current(Membership.objects.filter(unit=unit, role__in=[Role.PRINCIPAL, Role.DEPUTY]), day)
    return list(terms.select_related("person").order_by("role", "start", "person__username"))


def voting_members(unit: Unit, day: dt.date) -> list[Person]:
    """The voting team on a date: the principal and the deputies holding a term (org.VOTING_ROLES)."""
    return [m.person for m in voting_terms(unit, day)]


def holding(terms: list[Membership], role: str) -> list[Person]:
    """The members of `terms` holding `role` on their date, in the team's order: `p` for which
    `role in org.roles_of(p, unit, day)` among the voting members."""
    ids = {m.person_id for m in terms if m.role == role}
    return [m.person for m in terms if m.person_id in ids]


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
        | Q(unit__in=sorted(inspections.granted_units(person)))  # an inspection group's check (R-SUP-2)
    ).distinct()
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit", "chair").order_by("-date", "-id")


def get_meeting_for(person: Person, meeting_id: int) -> Meeting:
    """404 alike for unknown and invisible meetings."""
    meeting = Meeting.objects.select_related("unit", "unit__district", "chair").filter(pk=meeting_id).first()
    right = rules.view_right(person, meeting) if meeting is not None else None
    if meeting is None or right is None:
        raise NotFound()
    if right == "check":  # read under an inspection group's check: logged (R-SUP-2)
        inspection_reads.note_read(person, meeting.unit_id, "meeting", meeting.pk)
    return meeting


def get_item(meeting: Meeting, item_id: int) -> Item:
    """An item of a meeting already fetched for the viewer; 404 for an item of another meeting."""
    item = meeting.items.select_related("presenter").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    item.meeting = meeting
    return item


def get_item_for(person: Person, meeting_id: int, item_id: int) -> Item:
    """An item of a meeting the person may see (`item.meeting` is that meeting); 404 alike otherwise."""
    return get_item(get_meeting_for(person, meeting_id), item_id)


def locked_meeting(meeting: Meeting) -> Meeting:
    """The meeting re-read under a row lock, for a write (services): every write of a meeting's rows
    holds it, so two writes of one meeting never interleave."""
    return Meeting.objects.select_for_update().select_related("unit", "unit__district").get(pk=meeting.pk)


# -- unannounced inspection (R-SUP-2) -------------------------------------------------------------


def inspected_districts(person: Person) -> QuerySet[District]:
    """Districts in whose inspection group the person serves today."""
    ids = org.district_roles_of(person).filter(role=DistrictRoleKind.INSPECTION).values("district_id")
    return District.objects.filter(pk__in=ids)


def is_recorded_at(person: Person, meeting: Meeting) -> bool:
    """Whether the person is on the meeting's attendance (as member, inspector or observer)."""
    return meeting.attendance.filter(person_id=person.pk).exists()


def get_observable_meeting(person: Person, meeting_id: int) -> Meeting:
    """A meeting the person may see or, as an inspection member of its district, walk into; 404 alike
    for unknown meetings and meetings of other districts."""
    return observable_meeting(person, meeting_id)[0]


def observable_meeting(person: Person, meeting_id: int) -> tuple[Meeting, bool]:
    """`get_observable_meeting` with whether the person may see it (rules.can_view), asked once."""
    meeting = Meeting.objects.select_related("unit", "unit__district", "chair").filter(pk=meeting_id).first()
    if meeting is None or not person.is_authenticated:
        raise NotFound()
    right = rules.view_right(person, meeting)
    if right == "check":
        inspection_reads.note_read(person, meeting.unit_id, "meeting", meeting.pk)
    if right is not None:
        return meeting, True
    if rules.is_inspection_member(person, meeting.unit.district):
        return meeting, False
    raise NotFound()


def open_meetings_for(person: Person) -> QuerySet[Meeting]:
    """Open meetings of the districts the person inspects, for the inspection page."""
    return (
        Meeting.objects.filter(state=MeetingState.OPEN, unit__district__in=inspected_districts(person))
        .select_related("unit", "chair")
        .order_by("-date", "-id")
    )


# -- the matters a meeting decides (issue #5's contract: matters' own selectors) -------------------


def awaiting_matters(unit: Unit) -> list[Matter]:
    """What a meeting of the unit may put on its agenda (R-MAT-3/6)."""
    return list(matter_selectors.list_awaiting_collective(unit))


def get_matter(pk: int | None) -> Matter | None:
    if pk is None:
        return None
    return Matter.objects.select_related("unit", "power", "submitted_by").filter(pk=pk).first()


def presenter_for(matter: Matter, day: dt.date) -> Person | None:
    """The deputy in charge of the matter's power on the meeting date (powers is THE authority), else
    the deputy frozen on the matter at submission."""
    return deputy_in_charge(matter.unit, matter.power, day) or matter.deputy


def is_personnel_matter(matter: Matter) -> bool:
    return matter.kind in PERSONNEL_KINDS or matter.power.category.code == "personnel"


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
    matter: Matter | None = None
    late: set[str] = field(default_factory=set)  # arrived after the item's roll was frozen
    attending: dict[int, str] = field(default_factory=dict)  # person id → attendance role, everyone recorded
    principals: frozenset[int] = frozenset()  # ids of the members holding the principal's term on the date

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


def _state_of(
    item: Item,
    terms: list[Membership],
    attendance: list[Attendance],
    matter: Matter | None,
    statements: list[Statement],
    ties: eligibility.Ties | None = None,
) -> ItemState:
    """An item's facts from the meeting's rows already read (the voting terms on the meeting date, its
    attendance) and the item's own (matter, statements; candidates through `item.candidates`). Once the
    first statement froze the item's roll (R-MTG-3, issue 9 hole 3), `present` is that roll: members
    registered later are `late` for the item and count nowhere."""
    members = [m.person for m in terms]
    member_ids = {p.pk for p in members}
    arrived = {
        a.person.username for a in attendance if a.role == AttendanceRole.MEMBER and a.person_id in member_ids
    }
    present = set(item.roll) if item.roll_frozen_at else arrived
    inspector_present = any(a.role == AttendanceRole.INSPECTOR for a in attendance)
    principal = next(iter(holding(terms, Role.PRINCIPAL)), None)
    if item.meeting.is_sealed and "recused" in (item.facts or {}):
        recused = dict(item.facts["recused"])  # hole 10: what the close computed, not today's declarations
    else:
        recused = eligibility.recusals(item, members, matter, ties)
    state = ItemState(item, members, principal, present, inspector_present, recused, statements, matter)
    state.late = arrived - present
    state.attending = {a.person_id: a.role for a in attendance}
    state.principals = frozenset(m.person_id for m in terms if m.role == Role.PRINCIPAL)
    return state


def item_state(item: Item) -> ItemState:
    """The item's facts now, read afresh (services call it under the meeting's row lock). Pages showing
    a whole agenda read `meeting_state` instead."""
    meeting = item.meeting
    return _state_of(
        item,
        voting_terms(meeting.unit, meeting.date),
        list(meeting.attendance.select_related("person")),
        get_matter(item.matter_id),
        list(item.statements.select_related("person", "candidate").order_by("seq")),
    )


@dataclass
class MeetingFacts:
    """A meeting's agenda with every item's facts, read in a fixed number of queries whatever the number
    of items (for the room and the minutes; services keep `item_state`, which re-reads one item)."""

    meeting: Meeting
    items: list[Item]  # in agenda order; candidates (with recommendations and recommenders) prefetched
    terms: list[Membership]  # the voting terms on the meeting date
    attendance: list[Attendance]  # attendance_of(meeting)
    states: dict[int, ItemState]  # item id → its state

    @property
    def members(self) -> list[Person]:
        return [m.person for m in self.terms]

    @property
    def deputies(self) -> list[Person]:
        return holding(self.terms, Role.DEPUTY)


def candidates_prefetch() -> Prefetch[Any]:
    """An item's candidates with their recommendations and recommenders, for `prefetch_related`."""
    recommendations = Recommendation.objects.select_related("recommender").order_by("candidate", "id")
    return Prefetch(
        "candidates",
        queryset=Candidate.objects.order_by("item", "number").prefetch_related(
            Prefetch("recommendations", queryset=recommendations)
        ),
    )


def meeting_state(meeting: Meeting) -> MeetingFacts:
    """The facts of every item of the meeting from seven queries: the items, their candidates and the
    candidates' recommendations, the voting terms on the date, the attendance, the matters on the
    agenda, every statement. Each item's state is what `item_state(item)` would read now."""
    items = list(
        meeting.items.select_related("presenter", "winner")
        .prefetch_related(candidates_prefetch())
        .order_by("number")
    )
    for item in items:
        item.meeting = meeting
    terms = voting_terms(meeting.unit, meeting.date)
    attendance = attendance_of(meeting)
    matter_ids = {i.matter_id for i in items if i.matter_id is not None}
    matters = (
        {
            m.pk: m
            for m in Matter.objects.select_related("unit", "power", "submitted_by").filter(pk__in=matter_ids)
        }
        if matter_ids
        else {}
    )
    statements: dict[int, list[Statement]] = {i.pk: [] for i in items}
    if items:
        for s in (
            Statement.objects.filter(item__meeting=meeting)
            .select_related("person", "candidate")
            .order_by("item", "seq")
        ):
            statements[s.item_id].append(s)
    ties = eligibility.Ties([m.person for m in terms])  # R-MTG-9's declared ties, one read per agenda
    states = {
        i.pk: _state_of(
            i, terms, attendance, matters.get(i.matter_id) if i.matter_id else None, statements[i.pk], ties
        )
        for i in items
    }
    return MeetingFacts(meeting, items, terms, attendance, states)


def unrecommended_candidates(item: Item) -> list[str]:
    """R-MTG-5: the names of the item's candidates nobody has recommended by name yet."""
    return [c.name for c in item.candidates.all() if not c.recommendations.exists()]


def statements_visible_to(item: Item, viewer: Person, statements: list[Statement]) -> list[dict[str, Any]]:
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
