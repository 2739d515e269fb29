"""Division plans (R-DIV-4..6): drafting, validating, filing, coming into force. Each write has the
shape services/__init__.py describes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import people_named
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Invalid
from zhiheng.ledger.services import issue_checkpoint_after_commit
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit

from .. import rules, selectors
from ..models import (
    Assignment,
    Category,
    DivisionPlan,
    PlanStatus,
)
from ..validation import PowerFact, Violation, validate_plan

# --- division plans (R-DIV-4..6) ------------------------------------------------------------------


def plan_facts(unit: Unit, day: dt.date) -> dict[str, Any]:
    """What validate_plan() needs, read for the in-force date (bounded queries)."""
    powers = [
        PowerFact(p.code, p.name, p.category.code, restricted)
        for p, restricted in selectors.powers_with_restriction(unit, day)
    ]
    principal = org.principal_of(unit, day)
    return {
        "powers": powers,
        "principal": principal.username if principal else None,
        "deputies": [d.username for d in selectors.deputies_on(unit, day)],
        "incompatible": selectors.incompatible_pairs(unit.district, day),
        "category_names": dict(Category.objects.values_list("code", "name")),
    }


def check_plan(unit: Unit, assignments: Iterable[tuple[str, str]], day: dt.date) -> list[Violation]:
    """Every violation of a proposed plan on a date; also used by the editor's live re-validation."""
    return validate_plan(assignments=list(assignments), **plan_facts(unit, day))


def _refuse_if_invalid(violations: list[Violation]) -> None:
    if violations:
        raise Invalid(
            "R-DIV-4",
            f"分工方案不符合要求，共 {len(violations)} 处问题",
            {
                "violations": [
                    {"rule": v.rule, "power": v.power, "message": v.message, "kind": v.kind}
                    for v in violations
                ]
            },
        )


def _assignments_payload(plan: DivisionPlan) -> list[dict[str, str]]:
    return [
        {"power": a.power.code, "deputy": a.deputy.username}
        for a in plan.assignments.select_related("power", "deputy").order_by("power__code")
    ]


@transaction.atomic
def draft_plan(
    *,
    by: Person | None,
    unit: Unit,
    assignments: Sequence[tuple[str, str]],
    in_force_from: dt.date | None = None,
    note: str = "",
) -> DivisionPlan:
    """A new draft version. Refused whole (nothing stored) with every R-DIV-4 violation listed."""
    Unit.objects.select_for_update().get(pk=unit.pk)  # serialise version numbers of one unit
    rules.ensure_can_draft_plan(by, unit, "起草")
    day = in_force_from or clock.today()
    pairs = list(dict.fromkeys((str(p), str(d)) for p, d in assignments))
    _refuse_if_invalid(check_plan(unit, pairs, day))
    powers = {p.code: p for p in selectors.list_powers(unit)}
    people = people_named(d for _, d in pairs)
    version = (DivisionPlan.objects.filter(unit=unit).aggregate(v=Max("version"))["v"] or 0) + 1
    drafter = by or org.principal_of(unit, day)
    if drafter is None:
        raise Conflict("R-ORG-2", "该单位在此日期没有一把手，无法起草分工方案", {"unit": unit.code})
    plan = DivisionPlan.objects.create(
        unit=unit,
        version=version,
        status=PlanStatus.DRAFT,
        in_force_from=in_force_from,
        note=note,
        drafted_by=drafter,
        drafted_at=clock.now(),
    )
    Assignment.objects.bulk_create(
        [Assignment(plan=plan, power=powers[p], deputy=people[d]) for p, d in pairs]
    )
    _record_plan(
        "powers.plan_drafted",
        by=by,
        unit=unit,
        version=version,
        in_force_from=str(in_force_from) if in_force_from else None,
        assignments=[{"power": p, "deputy": d} for p, d in sorted(pairs)],
        note=note,
    )
    return plan


def _record_plan(event: str, *, by: Person | None, unit: Unit, version: int, **payload: Any) -> None:
    """A plan's acts are recorded under its unit, the plan version as subject and first in the payload."""
    ledger.record(
        event,
        by=by,
        unit=unit.code,
        subject=f"plan:{unit.code}/v{version}",
        payload={"version": version, **payload},
    )


def _record_in_force(plan: DivisionPlan, by: Person | None) -> None:
    _record_plan(
        "powers.plan_in_force",
        by=by,
        unit=plan.unit,
        version=plan.version,
        in_force_from=str(plan.in_force_from),
    )
    plan.in_force_recorded_at = clock.now()
    plan.save(update_fields=["in_force_recorded_at", "updated_at"])


@transaction.atomic
def file_plan(*, by: Person | None, plan: DivisionPlan, in_force_from: dt.date | None = None) -> DivisionPlan:
    """R-DIV-5: file a draft to the district; it is in force from its date (default: the filing date).

    A past in-force date is refused: approvals already given under the plan in force then must keep
    their answer to "who was in charge on date D" (R-DIV-6).
    """
    plan = DivisionPlan.objects.select_for_update().select_related("unit", "unit__district").get(pk=plan.pk)
    unit = plan.unit
    rules.ensure_can_file_plan(by, unit, "报送")
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(
            "R-DIV-5",
            f"分工方案 v{plan.version} 已{plan.get_status_display()}，不能再次报送",
            {"version": plan.version, "status": plan.status},
        )
    today = clock.today()
    day = in_force_from or plan.in_force_from or today
    if day < today:
        raise Invalid(
            "R-DIV-6", "生效日期不能早于报送日期（已生效的分工不能追溯改变）", {"in_force_from": str(day)}
        )
    pairs = [(a["power"], a["deputy"]) for a in _assignments_payload(plan)]
    _refuse_if_invalid(check_plan(unit, pairs, day))  # terms may have changed since drafting
    deadline = selectors.open_deadline(unit.district, today)
    answered = (
        deadline is not None
        and DivisionPlan.objects.filter(unit=unit, status=PlanStatus.FILED, deadline=deadline).exists()
    )
    if deadline is not None and not answered:
        plan.deadline, plan.filed_late = deadline, today > deadline.due
    plan.status, plan.in_force_from = PlanStatus.FILED, day
    plan.filed_by, plan.filed_at = by or plan.drafted_by, clock.now()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise Conflict("R-DIV-5", "分工方案状态已变化，请刷新后重试", {}) from exc
    _record_plan(
        "powers.plan_filed",
        by=by,
        unit=unit,
        version=plan.version,
        in_force_from=str(day),
        assignments=pairs,
        deadline=plan.deadline.label if plan.deadline else None,
        late=plan.filed_late,
    )
    if day <= today:
        _record_in_force(plan, by)
    # R-LED-2: a filing is a natural checkpoint moment
    issue_checkpoint_after_commit(f"powers.plan_filed {unit.code} v{plan.version}")
    return plan


@transaction.atomic
def record_plans_coming_into_force(day: dt.date | None = None) -> int:
    """Write "came into force" for filed plans whose future date has arrived (a daily task). Idempotent."""
    day = day or clock.today()
    due = (
        DivisionPlan.objects.select_for_update()
        .select_related("unit")
        .filter(status=PlanStatus.FILED, in_force_from__lte=day, in_force_recorded_at__isnull=True)
    )
    count = 0
    for plan in due:
        _record_in_force(plan, None)
        count += 1
    return count
