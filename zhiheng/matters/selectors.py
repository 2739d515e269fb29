"""Reads of the matters app: resolved rules, visibility (R-MAT-8), inboxes, budget lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import (
    CharField,
    Exists,
    ForeignKey,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils.translation import gettext_lazy as _

from zhiheng import parameters
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import NotFound
from zhiheng.inspections import selectors as inspections
from zhiheng.inspections import services as inspection_reads
from zhiheng.org.models import District, Membership, Role, Unit
from zhiheng.org.selectors import administered_districts, current, memberships_on
from zhiheng.parameters.selectors import units_setting
from zhiheng.powers.models import Power
from zhiheng.powers.selectors import deputy_in_charge

from .models import BudgetLine, Cosign, Evidence, JointOpinion, Matter, MatterEvent
from .requirements import MatterRulesValues
from .states import AWAITING_COLLECTIVE, CLOSED, UNDECIDED, MatterState


def rules_with_sources(unit: Unit) -> tuple[MatterRulesValues, dict[str, str]]:
    """The unit's matter rules in force today (the "matters" parameter set, matters/parameters.py), field
    by field: unit override over district default over the SPEC's default; and where each value comes
    from ("unit" / "district" / "default"). Only a unit names a legal officer."""
    in_force = parameters.effective("matters", unit)
    return MatterRulesValues.from_values(in_force.values), in_force.sources


def rules_for(unit: Unit) -> MatterRulesValues:
    """The unit's resolved matter rules (R-MAT-3/4/7), as the engine applies them at submission."""
    return rules_with_sources(unit)[0]


def _with_relations(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Everything a matter answer and its `actions` read, fetched with the page (no query per row)."""
    return qs.select_related(
        "unit", "power", "power__category", "submitted_by", "deputy", "decided_by", "budget_line"
    ).prefetch_related("cosigns__signer", "joint_opinions")


# ---------------------------------------------------------------- R-MAT-8 visibility, as plain ids

SEEING_ROLES = frozenset({Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR})
_ADMIN, _LEGAL, _COSIGN, _CHECK = "+admin", "+legal", "+cosign", "+check"  # tags beside the role codes


@dataclass(frozen=True)
class Visibility:
    """R-MAT-8 for one person on one day, as ids (docs/decisions/0005-matters-engine.md):
    - `units`: every matter of these units — where they hold a leadership-team term today (principal,
      deputy, inspector: deputies sit in the meetings that decide them), and the units of the districts
      whose commission they administer;
    - their own: the matters they submitted, and those whose deputy in charge they are;
    - `cosigned`: the matters they co-sign (outside their team units, which show them anyway);
    - `legal_units`: the joint-review matters of the units naming them their legal officer;
    - `granted`: every matter of the units an inspection group's check lets them read now (R-SUP-2), and
      by no other right — each read of one of those is logged (`get_matter_for`).
    `roles` ({unit pk: roles held today}) comes with it for the Viewer. Built by `visibility_of` in one
    query; `q()` is a filter on the matters table alone (no join, no DISTINCT), each branch indexed."""

    person_id: int | None  # None: nobody signed in, who sees nothing
    roles: dict[int, frozenset[str]]
    units: frozenset[int]
    legal_units: frozenset[int]
    cosigned: frozenset[int]
    granted: frozenset[int] = frozenset()

    def q(self) -> Q:
        if self.person_id is None:
            return Q(pk__in=[])
        q = Q(submitted_by_id=self.person_id) | Q(deputy_id=self.person_id)
        if self.units:
            q |= Q(unit_id__in=sorted(self.units))
        legal = self.legal_units - self.units
        if legal:
            q |= Q(unit_id__in=sorted(legal), requires_joint_review=True)
        if self.cosigned:
            q |= Q(pk__in=sorted(self.cosigned))
        return q


def _visibility_rows(person: int, day: dt.date) -> QuerySet[Any]:
    """(tag, pk) rows: (role, unit) per term today; (_ADMIN, unit) per unit of an administered district;
    (_LEGAL, unit) per unit naming the person legal officer; (_COSIGN, matter) per co-sign elsewhere;
    (_CHECK, inspection) per open check of the person's inspection group (its expiry is read after)."""
    who = Person(pk=person)
    terms = current(Membership.objects.filter(person=who), day)
    in_team = terms.filter(unit_id=OuterRef("matter__unit_id"), role__in=SEEING_ROLES)
    tagged = [
        terms.order_by().values_list("role", "unit_id"),
        Unit.objects.filter(district__in=administered_districts(who, day).values("pk"))
        .order_by()
        .values_list(Value(_ADMIN, output_field=CharField()), "pk"),
        _legal_officer_of(who, day)
        .order_by()
        .values_list(Value(_LEGAL, output_field=CharField()), "unit_id"),
        Cosign.objects.filter(~Exists(in_team), signer=who)  # an anti-join from the signer's index
        .order_by()
        .values_list(Value(_COSIGN, output_field=CharField()), "matter_id"),
        inspections.open_checks_of(who, day)
        .order_by()
        .values_list(Value(_CHECK, output_field=CharField()), "pk"),
    ]
    return tagged[0].union(*tagged[1:], all=True)


# Every matters read runs this query: compiled once per process, not on each request (issue 12).
_VISIBILITY_ROWS: CompiledQuery[Any] = CompiledQuery(_visibility_rows, person=int, day=dt.date)


def visibility_of(person: Person, day: dt.date | None = None) -> Visibility:
    """The R-MAT-8 ids of `person` on `day` (today): their terms, the units of the districts they
    administer, the units naming them legal officer and the matters they co-sign elsewhere, in one
    UNION ALL read of small indexed tables."""
    if not person.is_authenticated:
        return Visibility(None, {}, frozenset(), frozenset(), frozenset())
    day = day or clock.today()
    roles: dict[int, set[str]] = {}
    admin: set[int] = set()
    legal: set[int] = set()
    cosigned: set[int] = set()
    checks: set[int] = set()
    by_tag = {_ADMIN: admin, _LEGAL: legal, _COSIGN: cosigned, _CHECK: checks}
    for tag, pk in _VISIBILITY_ROWS.rows(person=person.pk, day=day):
        if tag in by_tag:
            by_tag[tag].add(pk)
        else:
            roles.setdefault(pk, set()).add(tag)
    team = {unit for unit, held in roles.items() if held & SEEING_ROLES}
    granted = inspections.units_under_grant(checks) - team - admin if checks else set()
    return Visibility(
        person_id=person.pk,
        roles={unit: frozenset(held) for unit, held in roles.items()},
        units=frozenset(team | admin | granted),
        legal_units=frozenset(legal),
        cosigned=frozenset(cosigned),
        granted=frozenset(granted),
    )


Who = Person | Visibility


def visible_matters(who: Who) -> QuerySet[Matter]:
    """The matters `who` (a Person, or the Visibility a Viewer already read) may see, R-MAT-8: a filter
    on the matters table alone — cheap to plan, to count and to page; load a page's rows with
    `page_rows` and `with_relations`."""
    vis = who if isinstance(who, Visibility) else visibility_of(who)
    return Matter.objects.filter(vis.q())


def page_rows(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """A page of matters with the small relations every answer names (unit, power, budget line) joined
    by primary key; the people, co-signs and opinions come after, from `with_relations`."""
    return qs.select_related("unit", "power", "budget_line")


# Columns no answer, page or `actions` reads from a listed or shown matter: left out of the read, because
# every timestamp costs ~5 µs to parse (Django's timestamptz loader is pure Python) and a page of 50 rows
# carried 400 of them (issue 12). Reading one still works: it costs a query.
_UNREAD = (
    "created_at",
    "updated_at",
    "unit__created_at",
    "unit__updated_at",
    "power__created_at",
    "power__updated_at",
    "budget_line__created_at",
    "budget_line__updated_at",
)
_UNREAD_OF_PEOPLE = ("password", "last_login", "date_joined")

_JOINED = ("unit", "power", "budget_line")
_PEOPLE = ("submitted_by", "deputy", "decided_by")


def with_relations(matters: Iterable[Matter]) -> list[Matter]:
    """The rows of a page (from `page_rows`) with everything a matter answer and its `actions` read, in
    three queries whatever the number of rows: the co-signs, the joint-review opinions, and every person
    named (submitter, deputy in charge, decider, co-signers) in one read, one instance per person. A row
    from elsewhere (the one a service returns) gets its missing unit, power and budget line too; co-signs
    and opinions are always read afresh."""
    rows = list(matters)
    if not rows:
        return rows
    for name in _JOINED:
        field = _fk(Matter, name)
        missing = [m for m in rows if getattr(m, field.attname) is not None and not field.is_cached(m)]
        if missing:
            related = cast("type[Model]", field.related_model)
            found = related._base_manager.in_bulk({getattr(m, field.attname) for m in missing})
            for m in missing:
                field.set_cached_value(m, found[getattr(m, field.attname)])
    by_pk = {m.pk: m for m in rows}
    for m in rows:
        cached = m.__dict__.get("_prefetched_objects_cache", {})
        cached.pop("cosigns", None)
        cached.pop("joint_opinions", None)
        m.__dict__[_COSIGNS], m.__dict__[_OPINIONS] = [], []
    cosigns = _attach(Cosign.objects.filter(matter_id__in=by_pk), by_pk, _COSIGNS)
    _attach(JointOpinion.objects.filter(matter_id__in=by_pk), by_pk, _OPINIONS)
    wanted = {getattr(m, f"{name}_id") for m in rows for name in _PEOPLE} | {c.signer_id for c in cosigns}
    wanted.discard(None)
    people = Person.objects.defer(*_UNREAD_OF_PEOPLE).in_bulk(wanted)
    for m in rows:
        for name in _PEOPLE:
            pk = getattr(m, f"{name}_id")
            _fk(Matter, name).set_cached_value(m, people[pk] if pk is not None else None)
    signer = _fk(Cosign, "signer")
    for c in cosigns:
        signer.set_cached_value(c, people[c.signer_id])
    return rows


# A page's co-signs and opinions, grouped per row as plain lists: `prefetch_related` built a filtered
# queryset per row and relation, and every `matter.cosigns.all()` a related manager — about a quarter of
# a list's CPU (issue 12). Read them with `cosigns_of` / `opinions_of`.
_COSIGNS, _OPINIONS = "_page_cosigns", "_page_opinions"


def _attach(qs: QuerySet[Any], by_pk: dict[int, Matter], name: str) -> list[Any]:
    """Every row of `qs` (ordered by its Meta) appended to its matter's list `name`, with the matter set
    as the row's cached `matter` (what a prefetch did)."""
    rows = list(qs)
    matter = _fk(qs.model, "matter")
    for row in rows:
        parent = by_pk[row.matter_id]
        matter.set_cached_value(row, parent)
        parent.__dict__[name].append(row)
    return rows


def cosigns_of(matter: Matter) -> list[Cosign]:
    """The matter's co-signs, oldest first: those `with_relations` loaded with its page, else read."""
    loaded = matter.__dict__.get(_COSIGNS)
    return cast("list[Cosign]", loaded) if loaded is not None else list(matter.cosigns.all())


def opinions_of(matter: Matter) -> list[JointOpinion]:
    """The matter's joint-review opinions in order: those `with_relations` loaded, else read."""
    loaded = matter.__dict__.get(_OPINIONS)
    return cast("list[JointOpinion]", loaded) if loaded is not None else list(matter.joint_opinions.all())


def carry_relations(source: Matter, target: Matter) -> Matter:
    """`target` (the row a service wrote and returned) with the unit, power and budget line already read
    with `source` (the same matter, read before the action), where they are still the same rows."""
    for name in _JOINED:
        field = _fk(Matter, name)
        same = getattr(source, field.attname) == getattr(target, field.attname)
        if same and field.is_cached(source) and not field.is_cached(target):
            field.set_cached_value(target, field.get_cached_value(source))
    return target


def _fk(model: type[Model], name: str) -> ForeignKey[Any, Any]:
    return cast("ForeignKey[Any, Any]", model._meta.get_field(name))


# ---------------------------------------------------------------- the lists' predicates, defined once
# A count (the 工作台's tiles) and the list behind it (the unit's matters page, its export) filter with
# the same function, so a count never leads to a list that shows something else (issue 13).


def awaiting_collective(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """What awaits the leadership team's collective review (R-MAT-3/6): matters in collective review,
    vetoed ones, and undecided ones the rules send there (not yet referred)."""
    return qs.filter(
        Q(state__in=sorted(AWAITING_COLLECTIVE)) | Q(state__in=sorted(UNDECIDED), requires_collective=True)
    )


def vetoed_by(qs: QuerySet[Matter], person: Person) -> QuerySet[Matter]:
    """The matters of `qs` this person vetoed (R-MAT-6), from the history: whatever happened to them since
    (the team may have turned them down or passed them)."""
    return qs.filter(pk__in=MatterEvent.objects.filter(actor=person, action="vetoed").values("matter_id"))


def submitted_by(qs: QuerySet[Matter], person: Person, *, open_only: bool = False) -> QuerySet[Matter]:
    """The matters of `qs` this person submitted; `open_only`: those still in progress (not closed)."""
    qs = qs.filter(submitted_by=person)
    return qs.exclude(state__in=sorted(CLOSED)) if open_only else qs


@dataclass(frozen=True)
class Waiting:
    """How long a matter has waited on whoever must act on it now, and since which step: for a
    co-signature since the decision that asked for it (R-MAT-4), for a decision or a joint-review opinion
    since its submission. The inbox and the 工作台 both say it this way (issue 13 QA)."""

    since: dt.datetime
    days: int
    step: str  # "decided" | "submitted"

    @property
    def since_label(self) -> str:
        return str(_("自决定起") if self.step == "decided" else _("自提交起"))


def waiting(matter: Matter, now: dt.datetime) -> Waiting:
    """Since when, and for how many whole days, `matter` waits on its current step (see `Waiting`)."""
    if matter.state == MatterState.AWAITING_COSIGN and matter.decided_at is not None:
        since, step = matter.decided_at, "decided"
    else:
        since, step = matter.submitted_at, "submitted"
    return Waiting(since, max(0, (now - since).days), step)


AWAITING = {"collective": awaiting_collective}  # ?awaiting=<key> of the matters lists


def list_matters_for(
    who: Who,
    *,
    unit: str | Unit | None = None,
    state: str | None = None,
    deputy: str | None = None,
    awaiting: str | None = None,
    vetoed_by_person: Person | None = None,
    submitted_by_person: Person | None = None,
    open_only: bool = False,
) -> QuerySet[Matter]:
    """The visible matters, newest first, filtered by unit (a code or the unit), state, deputy in
    charge (a username), what they await (`AWAITING`: "collective"), who vetoed them, who submitted
    them (and still open): count it as it is, load a page of it through `with_relations`."""
    qs = page_rows(visible_matters(who))
    if isinstance(unit, Unit):
        qs = qs.filter(unit_id=unit.pk)
    elif unit:
        qs = qs.filter(unit__code=unit)
    if state:
        qs = qs.filter(state=state)
    if deputy:
        qs = qs.filter(deputy__username=deputy)
    if awaiting:
        qs = AWAITING[awaiting](qs) if awaiting in AWAITING else qs.none()
    if vetoed_by_person is not None:
        qs = vetoed_by(qs, vetoed_by_person)
    if submitted_by_person is not None:
        qs = submitted_by(qs, submitted_by_person, open_only=open_only)
    return qs.defer(*_UNREAD).order_by("-submitted_at", "-pk")


def get_matter_for(who: Who, pk: int, *, full: bool = True) -> Matter:
    """404 alike for unknown and invisible matters. `full=False` before an action: the service locks and
    re-reads the row anyway, so the people, co-signs and opinions need not be fetched for it. A matter
    read under an inspection group's check (R-SUP-2) is logged."""
    vis = who if isinstance(who, Visibility) else visibility_of(who)
    qs = page_rows(visible_matters(vis).filter(pk=pk))
    matter = (qs.defer(*_UNREAD) if full else qs).first()
    if matter is None:
        raise NotFound()
    if matter.unit_id in vis.granted:
        _note_read(who, matter.unit_id, "matter", matter.pk)
    return with_relations([matter])[0] if full else matter


def _note_read(who: Who, unit_id: int, kind: str, ref: int) -> None:
    """A read under a check is logged as the reader's (R-SUP-2): a Visibility carries their pk only."""
    reader = who if isinstance(who, Person) else Person.objects.filter(pk=who.person_id or 0).first()
    if reader is not None:
        inspection_reads.note_read(reader, unit_id, kind, ref)


def list_awaiting_collective(unit: Unit) -> QuerySet[Matter]:
    """What a meeting may put on its agenda (R-MAT-3/6): matters in collective review, vetoed ones, and
    submitted ones that require collective review (the meeting refers them when it takes them up)."""
    return _with_relations(awaiting_collective(Matter.objects.filter(unit=unit))).order_by(
        "submitted_at", "pk"
    )


def inbox_of(person: Person) -> QuerySet[Matter]:
    """What waits for this person's signature, oldest first: matters they decide, and co-signs. A
    filter on the matters table (co-signs by subquery, no DISTINCT); load a page through
    `with_relations`."""
    waiting_decision = Q(deputy=person, state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW])
    waiting_cosign = Q(
        state=MatterState.AWAITING_COSIGN,
        pk__in=Cosign.objects.filter(signer=person, signed_at__isnull=True).values("matter_id"),
    )
    waiting_review = Q(
        requires_joint_review=True,
        state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW],
        unit_id__in=_legal_officer_of(person),
    )
    return (
        page_rows(Matter.objects.filter(waiting_decision | waiting_cosign | waiting_review))
        .defer(*_UNREAD)
        .order_by("submitted_at", "pk")
    )


def list_budget_lines(unit: Unit) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(unit=unit).order_by("code")


def history(matter: Matter) -> list[MatterEvent]:
    return list(matter.events.select_related("actor").order_by("at", "pk"))


def rules_table(unit: Unit | None = None, district: District | None = None) -> list[dict[str, Any]]:
    """The rules in force, field by field, with their source, for the pages and the API: a unit's (unit
    override / district default / SPEC default) with its legal officer, or a district's (district default
    / SPEC default). Values as the engine reads them: Decimal, tuples, the legal officer's Person."""
    in_force = parameters.effective("matters", unit, district=district)
    values = MatterRulesValues.from_values(in_force.values)
    table = in_force.rows()
    for row in table:
        if row["field"] == "legal_officer":
            legal = values.legal_officer_id
            row["value"] = Person.objects.filter(pk=legal).first() if unit and legal else None
        else:
            row["value"] = getattr(values, row["field"])
    return table if unit is not None else [r for r in table if r["field"] != "legal_officer"]


# ---------------------------------------------------------------- the R-MAT-7 joint-review panel


def joint_panel(matter: Matter, *, with_deputy: bool = True) -> dict[int, str]:
    """{person pk: role} of the R-MAT-7 panel: deputy in charge, legal officer, unit inspector."""
    panel: dict[int, str] = {matter.deputy_id: "deputy"} if with_deputy else {}
    legal = rules_for(matter.unit).legal_officer_id
    if legal:
        panel.setdefault(legal, "legal_officer")
    for m in memberships_on(matter.unit).filter(role=Role.INSPECTOR):
        panel.setdefault(m.person_id, "inspector")
    return panel


def joint_review_missing(matter: Matter) -> list[str]:
    """R-MAT-7: usernames of the panel members whose opinion is still missing ([] when the matter needs
    no joint review or every member has given one). No decision path — the deputy's, a referral, an
    agenda, a meeting's pass — goes ahead while this is non-empty (issue 9 hole 5)."""
    if not matter.requires_joint_review:
        return []
    panel = joint_panel(matter)
    given = set(matter.joint_opinions.values_list("member_id", flat=True))
    missing = [pk for pk in panel if pk not in given]
    return sorted(Person.objects.filter(pk__in=missing).values_list("username", flat=True))


def legal_officer_units(person: Person) -> set[int]:
    """The units (pks) whose matter rules in force today name this person their legal officer (R-MAT-7)."""
    return set(_legal_officer_of(person))


def _legal_officer_of(person: Person, day: dt.date | None = None) -> QuerySet[Any]:
    return units_setting("matters", "legal_officer", person.pk, day)


# ---------------------------------------------------------------- evidence files


def get_evidence_for(person: Person, matter_id: int, evidence_id: int) -> Evidence:
    """An evidence file of a matter the person may see; 404 alike for unknown and invisible ones."""
    vis = visibility_of(person)
    matter = get_matter_for(vis, matter_id, full=False)
    item = Evidence.objects.filter(matter=matter, pk=evidence_id).first()
    if item is None:
        raise NotFound()
    if matter.unit_id in vis.granted:
        _note_read(person, matter.unit_id, "evidence", item.pk)
    return item


# ---------------------------------------------------------------- R-MAT-4 co-signers


def cosigners_for(unit: Unit, deputy: Person, roles_wanted: tuple[str, ...]) -> list[tuple[Person, str]]:
    """Who signs today for each co-sign role of the unit's rules: the deputy in charge, the finance deputy
    (in charge of the unit's first finance power), the unit inspector — one signature per person."""
    people: dict[int, tuple[Person, str]] = {}
    for role in roles_wanted:
        person: Person | None = None
        if role == "deputy":
            person = deputy
        elif role == "finance_deputy":
            finance = (
                Power.objects.filter(unit=unit, category__code="finance", is_active=True)
                .order_by("code")
                .first()
            )
            person = deputy_in_charge(unit, finance) if finance else None
        elif role == "inspector":
            m = memberships_on(unit).filter(role=Role.INSPECTOR).first()
            person = m.person if m else None
        if person is not None:
            people.setdefault(person.pk, (person, role))  # one signature per person
    return list(people.values())
