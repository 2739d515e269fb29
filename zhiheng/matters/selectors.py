"""Reads of the matters app: resolved rules, visibility (R-MAT-8), inboxes, budget lines."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhiheng import parameters
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org.models import District, Membership, Role, Unit
from zhiheng.org.selectors import administered_districts, current, memberships_on
from zhiheng.parameters.selectors import units_setting
from zhiheng.powers.models import Power
from zhiheng.powers.selectors import deputy_in_charge

from .models import BudgetLine, Evidence, Matter, MatterEvent
from .requirements import MatterRulesValues
from .states import AWAITING_COLLECTIVE, MatterState


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


def visible_matters(person: Person) -> QuerySet[Matter]:
    """R-MAT-8 and the decision in docs/decisions/0005-matters-engine.md:
    - the leadership team (principal, every deputy, unit inspector) sees the unit's matters in full —
      deputies sit in the meetings that decide them, so they read them too;
    - staff see the matters they submitted, and those they must act on (co-sign, joint review);
    - commission admins see their district's matters."""
    if not person.is_authenticated:
        return Matter.objects.none()
    day = clock.today()
    terms = current(Membership.objects.filter(person=person), day)
    team_units = terms.filter(role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]).values("unit_id")
    admin_of = administered_districts(person, day).values("pk")
    return Matter.objects.filter(
        Q(unit_id__in=team_units)
        | Q(unit__district__in=admin_of)
        | Q(submitted_by=person)
        | Q(deputy=person)
        | Q(cosigns__signer=person)
        | Q(unit_id__in=_legal_officer_of(person), requires_joint_review=True)
    ).distinct()


def list_matters_for(
    person: Person, *, unit: str | None = None, state: str | None = None
) -> QuerySet[Matter]:
    qs = _with_relations(visible_matters(person))
    if unit:
        qs = qs.filter(unit__code=unit)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-submitted_at", "-pk")


def get_matter_for(person: Person, pk: int, *, full: bool = True) -> Matter:
    """404 alike for unknown and invisible matters. `full=False` before an action: the service locks and
    re-reads the row anyway, so the co-signs and opinions need not be fetched for it."""
    qs = visible_matters(person).filter(pk=pk)
    matter = (_with_relations(qs) if full else qs.select_related("unit")).first()
    if matter is None:
        raise NotFound()
    return matter


def list_awaiting_collective(unit: Unit) -> QuerySet[Matter]:
    """What a meeting may put on its agenda (R-MAT-3/6): matters in collective review, vetoed ones, and
    submitted ones that require collective review (the meeting refers them when it takes them up)."""
    return _with_relations(
        Matter.objects.filter(unit=unit).filter(
            Q(state__in=AWAITING_COLLECTIVE)
            | Q(state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW], requires_collective=True)
        )
    ).order_by("submitted_at", "pk")


def inbox_of(person: Person) -> QuerySet[Matter]:
    """What waits for this person's signature, oldest first: matters they decide, and co-signs."""
    waiting_decision = Q(deputy=person, state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW])
    waiting_cosign = Q(
        state=MatterState.AWAITING_COSIGN, cosigns__signer=person, cosigns__signed_at__isnull=True
    )
    waiting_review = Q(
        requires_joint_review=True,
        state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW],
        unit_id__in=_legal_officer_of(person),
    )
    return (
        _with_relations(Matter.objects.filter(waiting_decision | waiting_cosign | waiting_review))
        .distinct()
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


def _legal_officer_of(person: Person) -> QuerySet[Any]:
    return units_setting("matters", "legal_officer", person.pk)


# ---------------------------------------------------------------- evidence files


def get_evidence_for(person: Person, matter_id: int, evidence_id: int) -> Evidence:
    """An evidence file of a matter the person may see; 404 alike for unknown and invisible ones."""
    matter = get_matter_for(person, matter_id, full=False)
    item = Evidence.objects.filter(matter=matter, pk=evidence_id).first()
    if item is None:
        raise NotFound()
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
