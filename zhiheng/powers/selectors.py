"""Reads of the powers app. THE authority on "who is in charge of power P in unit U on date D".

Every approval calls deputy_in_charge(), so it answers in a bounded number of queries whatever the
history length (asserted in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org.models import District, Membership, Role, Unit
from zhiheng.org.selectors import current

from . import rules
from .models import (
    Assignment,
    Category,
    DivisionPlan,
    FilingDeadline,
    IncompatiblePair,
    PlanStatus,
    PolicyTemplate,
    Power,
    PowerChange,
    PowerChangeStatus,
    UnitPolicy,
)


def _on(day: dt.date | None) -> dt.date:
    return day or clock.today()


def policy_on(unit: Unit, day: dt.date | None = None) -> UnitPolicy | None:
    """The unit's policy (template + X choice) in force on a date."""
    return (
        UnitPolicy.objects.filter(unit=unit, in_force_from__lte=_on(day))
        .select_related("template")
        .order_by("-in_force_from")
        .first()
    )


def policy_codes_for_units(units: Iterable[Unit], day: dt.date | None = None) -> dict[int, str]:
    """{unit pk: policy template code in force on the date} for the units given (one query)."""
    ids = [u.pk for u in units]
    rows = (
        UnitPolicy.objects.filter(unit_id__in=ids, in_force_from__lte=_on(day))
        .order_by("unit_id", "in_force_from")
        .values_list("unit_id", "template__code")
    )
    return dict(rows)  # later in_force_from overwrite earlier ones


def policies_for_units(units: Iterable[Unit], day: dt.date | None = None) -> dict[int, UnitPolicy]:
    """{unit pk: policy in force on the date} for many units, in bounded queries (district pages)."""
    rows = (
        UnitPolicy.objects.filter(unit_id__in=[u.pk for u in units], in_force_from__lte=_on(day))
        .select_related("template")
        .prefetch_related("x_categories")
        .order_by("unit_id", "in_force_from")
    )
    return {p.unit_id: p for p in rows}  # later in_force_from overwrite earlier ones


def restricted_category_ids(unit: Unit, day: dt.date | None = None) -> set[int]:
    """R-DIV-2/3: the template's restricted categories plus the unit's X choice, on a date."""
    policy = policy_on(unit, day)
    if policy is None:
        return set()
    ids = set(policy.template.restricted.values_list("pk", flat=True))
    if policy.template.x_choice:
        ids |= set(policy.x_categories.values_list("pk", flat=True))
    return ids


def restricted_category_ids_from(unit: Unit, day: dt.date | None = None) -> set[int]:
    """Categories restricted for the unit on `day` or under any policy already set for a later date:
    a catalogue change is judged against both, so a power cannot slip out of a restriction that is
    about to begin (issue 9 hole 7)."""
    day = _on(day)
    ids = restricted_category_ids(unit, day)
    later = (
        UnitPolicy.objects.filter(unit=unit, in_force_from__gt=day)
        .select_related("template")
        .prefetch_related("template__restricted", "x_categories")
    )
    for policy in later:
        ids |= {c.pk for c in policy.template.restricted.all()}
        if policy.template.x_choice:
            ids |= {c.pk for c in policy.x_categories.all()}
    return ids


def is_restricted(power: Power, day: dt.date | None = None) -> bool:
    return power.category_id in restricted_category_ids(power.unit, day)


def list_powers(unit: Unit, *, active_only: bool = True) -> QuerySet[Power]:
    qs = Power.objects.filter(unit=unit).select_related("category")
    return qs.filter(is_active=True) if active_only else qs


def get_power(unit: Unit, code: str) -> Power:
    power = Power.objects.filter(unit=unit, code=code).select_related("category", "unit").first()
    if power is None:
        raise NotFound("该单位没有此职权", {"power": code})
    return power


def list_categories(district: District | None = None) -> QuerySet[Category]:
    return Category.objects.filter(Q(district__isnull=True) | Q(district=district)).order_by("sort", "code")


def _plans_in_force(unit: Unit, day: dt.date) -> QuerySet[DivisionPlan]:
    return DivisionPlan.objects.filter(unit=unit, status=PlanStatus.FILED, in_force_from__lte=day).order_by(
        "-in_force_from", "-version"
    )


def plan_in_force(unit: Unit, day: dt.date | None = None) -> DivisionPlan | None:
    """R-DIV-6: the filed plan in force on a date — the latest in-force date on or before it
    (the higher version wins when two take effect the same day)."""
    return _plans_in_force(unit, _on(day)).first()


def _deputy_term_on(unit: Unit, day: dt.date, person: Person | None = None) -> Exists:
    person_ref = person.pk if person is not None else OuterRef("deputy_id")
    terms = Membership.objects.filter(
        person_id=person_ref,  # type: ignore[misc]  # django-stubs takes an int or an OuterRef, not the union
        unit=unit,
        role=Role.DEPUTY,
        start__lte=day,
    ).filter(Q(end__isnull=True) | Q(end__gte=day))
    return Exists(terms)


def deputy_in_charge(unit: Unit, power: Power, day: dt.date | None = None) -> Person | None:
    """Who is in charge of `power` in `unit` on `day`: the deputy the plan in force assigns it to,
    provided they still hold a deputy term on that day. None if nobody is (no plan, unassigned,
    or the deputy has left) — callers refuse the action rather than guess.

    One query whatever the history length: the plan in force is a subquery and the term check an
    EXISTS (asserted with django_assert_num_queries in the tests).
    """
    day = _on(day)
    assignment = (
        Assignment.objects.filter(plan=Subquery(_plans_in_force(unit, day).values("pk")[:1]), power=power)
        .annotate(holds_term=_deputy_term_on(unit, day))
        .select_related("deputy")
        .first()
    )
    if assignment is None or not assignment.holds_term:
        return None
    return assignment.deputy


def powers_held_by(person: Person, unit: Unit, day: dt.date | None = None) -> QuerySet[Power]:
    """The reverse question: which powers `person` is in charge of in `unit` on `day` (one query)."""
    day = _on(day)
    plan = Subquery(_plans_in_force(unit, day).values("pk")[:1])
    return (
        Power.objects.filter(assignments__plan=plan, assignments__deputy=person)
        .filter(_deputy_term_on(unit, day, person))
        .select_related("category")
        .order_by("category__sort", "code")
    )


def in_charge_map(unit: Unit, day: dt.date | None = None) -> dict[int, Person | None]:
    """{power pk: deputy in charge or None} for every power of the plan in force (one query)."""
    day = _on(day)
    rows = (
        Assignment.objects.filter(plan=Subquery(_plans_in_force(unit, day).values("pk")[:1]))
        .annotate(holds_term=_deputy_term_on(unit, day))
        .select_related("deputy")
    )
    return {a.power_id: (a.deputy if a.holds_term else None) for a in rows}


def powers_with_restriction(unit: Unit, day: dt.date | None = None) -> list[tuple[Power, bool]]:
    """The catalogue with "restricted" computed for the date (R-DIV-2/3), in bounded queries."""
    restricted = restricted_category_ids(unit, day)
    return [(p, p.category_id in restricted) for p in list_powers(unit)]


def _pairs_on(day: dt.date) -> Q:
    return (Q(added_on__isnull=True) | Q(added_on__lte=day)) & (
        Q(retired_on__isnull=True) | Q(retired_on__gt=day)
    )


def incompatible_pairs(district: District, day: dt.date | None = None) -> list[tuple[str, str]]:
    """The district's forbidden pairs applying on a date, as category codes (R-DIV-4, RF11)."""
    rows = IncompatiblePair.objects.filter(_pairs_on(_on(day)), district=district)
    return list(rows.values_list("first__code", "second__code"))


def pair_history(district: District) -> QuerySet[IncompatiblePair]:
    """Every pair the district ever set, retired ones included (never deleted)."""
    return (
        IncompatiblePair.objects.filter(district=district)
        .select_related("first", "second", "added_by", "retired_by")
        .order_by("retired_on", "first__sort", "second__sort", "-added_on", "-pk")
    )


def get_pair(district: District, pk: int) -> IncompatiblePair:
    pair = pair_history(district).filter(pk=pk).first()
    if pair is None:
        raise NotFound("不相容组合不存在", {"id": pk})
    return pair


def get_district_for(person: Person, code: str) -> District:
    """A district the person may know of (rules.can_see_district); 404 alike for unknown and invisible."""
    district = District.objects.filter(code=code).first()
    if district is None or not rules.can_see_district(person, district):
        raise NotFound()
    return district


def list_deadlines(district: District) -> QuerySet[FilingDeadline]:
    return FilingDeadline.objects.filter(district=district).order_by("-opens_on", "-pk")


def deputies_on(unit: Unit, day: dt.date | None = None) -> list[Person]:
    terms = current(Membership.objects.filter(unit=unit, role=Role.DEPUTY), _on(day)).select_related("person")
    return [m.person for m in terms.order_by("start", "person__username")]


def list_plans(unit: Unit, *, with_drafts: bool) -> QuerySet[DivisionPlan]:
    """Plan versions, newest first. Drafts only for those who may see them (rules.can_view_drafts)."""
    qs = DivisionPlan.objects.filter(unit=unit).select_related("drafted_by", "filed_by", "deadline")
    if not with_drafts:
        qs = qs.filter(status=PlanStatus.FILED)
    return qs.order_by("-version")


def get_plan(unit: Unit, version: int, *, with_drafts: bool) -> DivisionPlan:
    plan = list_plans(unit, with_drafts=with_drafts).filter(version=version).first()
    if plan is None:
        raise NotFound()
    return plan


def plan_assignments(plan: DivisionPlan) -> list[Assignment]:
    return list(
        plan.assignments.select_related("power", "power__category", "deputy").order_by(
            "power__category__sort", "power__code"
        )
    )


def plan_diff(old: DivisionPlan | None, new: DivisionPlan) -> list[dict[str, Any]]:
    """Per power, who held it in `old` and who holds it in `new`; only the changed powers."""
    before = {a.power.code: a for a in plan_assignments(old)} if old else {}
    after = {a.power.code: a for a in plan_assignments(new)}
    rows = []
    for code in sorted(set(before) | set(after)):
        b, a = before.get(code), after.get(code)
        if b and a and b.deputy_id == a.deputy_id:
            continue
        power = (a or b).power  # type: ignore[union-attr]
        rows.append({"power": power, "before": b.deputy if b else None, "after": a.deputy if a else None})
    return rows


def open_deadline(district: District, day: dt.date | None = None) -> FilingDeadline | None:
    """The district's filing round open on a date: the latest one already opened (R-DIV-5)."""
    return (
        FilingDeadline.objects.filter(district=district, opens_on__lte=_on(day)).order_by("-opens_on").first()
    )


BOARD_FILED, BOARD_LATE, BOARD_MISSING = "filed", "late", "missing"


def filing_board(district: District, deadline: FilingDeadline | None) -> list[dict[str, Any]]:
    """R-DIV-5: for each unit of the district, this round's filing: filed (on time), late, or missing."""
    units = list(Unit.objects.filter(district=district, is_active=True).order_by("code"))
    plans: dict[int, DivisionPlan] = {}
    if deadline is not None:
        for plan in (
            DivisionPlan.objects.filter(unit__in=units, status=PlanStatus.FILED, deadline=deadline)
            .select_related("filed_by")
            .order_by("unit_id", "filed_at")
        ):
            plans.setdefault(plan.unit_id, plan)  # the round's first filing counts
    rows = []
    for unit in units:
        filed = plans.get(unit.pk)
        status = BOARD_MISSING if filed is None else (BOARD_LATE if filed.filed_late else BOARD_FILED)
        rows.append({"unit": unit, "plan": filed, "status": status})
    return rows


def list_templates(district: District | None = None) -> QuerySet[PolicyTemplate]:
    """City-wide templates and the district's own, every version (newest first per code)."""
    return (
        PolicyTemplate.objects.filter(Q(district__isnull=True) | Q(district=district))
        .prefetch_related("restricted")
        .order_by("code", "-version")
    )


def get_template_for(district: District, code: str, version: int | None = None) -> PolicyTemplate:
    """A template the district may use (city-wide or its own); 404 alike for unknown and other districts'."""
    qs = list_templates(district).filter(code=code)
    template = (qs.filter(version=version) if version is not None else qs).first()
    if template is None:
        raise NotFound("政策模板不存在", {"template": code})
    return template


def latest_template(code: str) -> PolicyTemplate:
    template = PolicyTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None:
        raise NotFound("政策模板不存在", {"template": code})
    return template


def policy_history(unit: Unit) -> QuerySet[UnitPolicy]:
    return (
        UnitPolicy.objects.filter(unit=unit)
        .select_related("template", "recorded_by")
        .prefetch_related("x_categories")
        .order_by("-in_force_from")
    )


def list_power_changes(unit: Unit, *, status: str = "") -> QuerySet[PowerChange]:
    """A unit's catalogue changes awaiting or past the commission's decision, pending first, newest first."""
    qs = PowerChange.objects.filter(unit=unit).select_related("unit", "power", "proposed_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    pending_first = Case(When(status=PowerChangeStatus.PENDING, then=Value(0)), default=Value(1))
    return qs.order_by(pending_first, "-proposed_at", "-pk")


def pending_power_changes(district: District) -> QuerySet[PowerChange]:
    """Every pending catalogue change of the district's units (the commission's queue)."""
    return (
        PowerChange.objects.filter(unit__district=district, status=PowerChangeStatus.PENDING)
        .select_related("unit", "power", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def get_power_change_for(person: Person, pk: int) -> PowerChange:
    """A catalogue change of a unit the person sees; 404 alike for unknown and invisible."""
    change = (
        PowerChange.objects.filter(pk=pk)
        .select_related("unit", "unit__district", "power", "proposed_by", "decided_by")
        .first()
    )
    if change is None or not rules.can_view_powers(person, change.unit):
        raise NotFound()
    return change
