"""Writes of the powers app: catalogue, policies, division plans (R-DIV-1..6).

Every write: lock → authorize → check state → write → ledger.record → side effects on commit.
`by=None` is the system itself (demo builder, data migrations); every interface passes a person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit

from . import rules, selectors
from .models import (
    Assignment,
    Category,
    DivisionPlan,
    FilingDeadline,
    IncompatiblePair,
    PlanStatus,
    PolicyTemplate,
    Power,
    UnitPolicy,
)
from .validation import PowerFact, Violation, validate_plan

log = logging.getLogger(__name__)


# --- policy: categories, templates, unit policies, pairs, deadlines (R-DIV-2/3/4/5) -------------------


def _ensure_policy_admin(by: Person | None, district: District | None) -> None:
    if by is None:
        return
    if district is None or not rules.can_manage_policy(by, district):
        raise Forbidden("R-DIV-3", "只有本区纪委管理员可以设定政策模板、单位政策和报送期限", {})


def _category(code: str, district: District | None = None) -> Category:
    category = selectors.list_categories(district).filter(code=code).first()
    if category is None:
        raise Invalid("validation", f"职权类别 {code} 不存在", {"category": code})
    return category


@transaction.atomic
def add_category(*, by: Person | None, district: District, code: str, name: str, sort: int = 100) -> Category:
    """R-DIV-2: "and others a district adds" — a district's own category."""
    _ensure_policy_admin(by, district)
    if Category.objects.filter(code=code).exists():
        raise Conflict("R-DIV-2", f"职权类别代码 {code} 已存在", {"category": code})
    category = Category.objects.create(code=code, name=name, district=district, sort=sort)
    ledger.record(
        "powers.category_added",
        by=by,
        subject=f"category:{code}",
        payload={"district": district.code, "category": code, "name": name, "action": "category_added"},
    )
    return category


@transaction.atomic
def version_template(
    *,
    by: Person | None,
    district: District | None,
    code: str,
    name: str,
    restricted: Iterable[str],
    x_choice: bool,
    effective_from: dt.date,
    description: str = "",
) -> PolicyTemplate:
    """R-DIV-3: a new version of a template (or the first of a district's own). Old versions stay;
    units move to the new one by a dated set_unit_policy()."""
    existing = PolicyTemplate.objects.select_for_update().filter(code=code).order_by("-version").first()
    owner = existing.district if existing is not None else district
    if by is not None and (owner is None or owner != district):
        # City-wide templates are not a district's to change; a district versions its own.
        raise Forbidden("R-DIV-3", "只能修订本区自己的政策模板", {"template": code})
    _ensure_policy_admin(by, district)
    categories = [_category(c, district) for c in dict.fromkeys(restricted)]
    version = (existing.version + 1) if existing else 1
    template = PolicyTemplate.objects.create(
        code=code,
        version=version,
        name=name,
        description=description,
        district=owner,
        x_choice=x_choice,
        effective_from=effective_from,
    )
    template.restricted.set(categories)
    ledger.record(
        "powers.template_versioned",
        by=by,
        subject=f"template:{code}",
        payload={
            "template": code,
            "version": version,
            "restricted": sorted(c.code for c in categories),
            "x_choice": x_choice,
            "effective_from": str(effective_from),
        },
    )
    return template


@transaction.atomic
def set_unit_policy(
    *,
    by: Person | None,
    unit: Unit,
    template: PolicyTemplate,
    x_categories: Iterable[str] = (),
    in_force_from: dt.date,
) -> UnitPolicy:
    """R-ORG-3 / R-DIV-3: the template a unit follows from a date, with its X choice — a dated act."""
    _ensure_policy_admin(by, unit.district)
    Unit.objects.select_for_update().get(pk=unit.pk)
    if template.district_id is not None and template.district_id != unit.district_id:
        raise Invalid("R-DIV-3", "不能采用其他区的政策模板", {"template": template.code})
    x_codes = list(dict.fromkeys(x_categories))
    if x_codes and not template.x_choice:
        raise Invalid("R-DIV-3", f"模板“{template.name}”不允许单位自选 X 项", {"x_categories": x_codes})
    categories = [_category(c, unit.district) for c in x_codes]
    common = [c.code for c in categories if c.is_common]
    if common:
        raise Invalid("R-DIV-3", "X 项应为单位特有的职权类别，共性权力已由模板限制", {"x_categories": common})
    if UnitPolicy.objects.filter(unit=unit, in_force_from=in_force_from).exists():
        raise Conflict("R-DIV-3", "该日期已有一条单位政策记录", {"in_force_from": str(in_force_from)})
    policy = UnitPolicy.objects.create(
        unit=unit, template=template, in_force_from=in_force_from, recorded_by=by
    )
    policy.x_categories.set(categories)
    ledger.record(
        "powers.policy_set",
        by=by,
        unit=unit.code,
        subject=f"unit:{unit.code}",
        payload={
            "template": template.code,
            "version": template.version,
            "x_categories": sorted(x_codes),
            "in_force_from": str(in_force_from),
        },
    )
    return policy


@transaction.atomic
def add_incompatible_pair(
    *, by: Person | None, district: District, first: str, second: str
) -> IncompatiblePair:
    """R-DIV-4 (configurable): two categories one deputy may not hold together."""
    _ensure_policy_admin(by, district)
    a, b = sorted((first, second))
    if a == b:
        raise Invalid("validation", "不相容组合需要两个不同的类别", {"first": first, "second": second})
    cat_a, cat_b = _category(a, district), _category(b, district)
    pair, created = IncompatiblePair.objects.get_or_create(district=district, first=cat_a, second=cat_b)
    if created:
        ledger.record(
            "powers.incompatible_pair_added",
            by=by,
            subject=f"district:{district.code}",
            payload={"district": district.code, "pair": [a, b]},
        )
    return pair


@transaction.atomic
def set_deadline(
    *, by: Person | None, district: District, label: str, opens_on: dt.date, due: dt.date
) -> FilingDeadline:
    """R-DIV-5: the district's filing round, e.g. Nanchuan 2026: from 23 February, by 1 April."""
    _ensure_policy_admin(by, district)
    if due < opens_on:
        raise Invalid("validation", "截止日期不能早于起始日期", {"due": str(due)})
    deadline = FilingDeadline.objects.create(district=district, label=label, opens_on=opens_on, due=due)
    ledger.record(
        "powers.deadline_set",
        by=by,
        subject=f"district:{district.code}",
        payload={"district": district.code, "label": label, "opens_on": str(opens_on), "due": str(due)},
    )
    return deadline


# --- catalogue (R-DIV-1) ---------------------------------------------------------------------------


def clean_flowchart(steps: Any) -> list[dict[str, str]]:
    """A flowchart is an ordered list of {"step", "role", "output"}; refuse anything else (422)."""
    if steps in (None, ""):
        return []
    if not isinstance(steps, list):
        raise Invalid("validation", "权力运行流程图应为步骤列表", {"flowchart": "list expected"})
    cleaned = []
    for i, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or not str(step.get("step", "")).strip():
            raise Invalid("validation", f"流程第 {i} 步缺少步骤名称", {"flowchart": i})
        cleaned.append({k: str(step.get(k, "")).strip()[:60] for k in ("step", "role", "output")})
    return cleaned


def ensure_catalogue_editor(by: Person | None, unit: Unit) -> None:
    if by is not None and not rules.can_edit_catalogue(by, unit):
        raise Forbidden("R-DIV-1", "只有本单位一把手或本区纪委管理员可以维护职权目录", {"unit": unit.code})


def _upsert_power(unit: Unit, row: dict[str, Any], categories: dict[str, Category]) -> tuple[Power, bool]:
    defaults = {
        "name": row["name"],
        "category": categories[row["category"]],
        "legal_basis": row.get("legal_basis", ""),
        "flowchart": clean_flowchart(row.get("flowchart")),
        "is_active": row.get("is_active", True),
    }
    return Power.objects.update_or_create(unit=unit, code=row["code"], defaults=defaults)


@transaction.atomic
def save_power(
    *,
    by: Person | None,
    unit: Unit,
    code: str,
    name: str,
    category: str,
    legal_basis: str = "",
    flowchart: Sequence[dict[str, str]] | None = None,
) -> Power:
    ensure_catalogue_editor(by, unit)
    cat = _category(category, unit.district)
    power, created = _upsert_power(
        unit,
        {
            "code": code,
            "name": name,
            "category": category,
            "legal_basis": legal_basis,
            "flowchart": flowchart,
        },
        {category: cat},
    )
    ledger.record(
        "powers.power_saved",
        by=by,
        unit=unit.code,
        subject=f"power:{unit.code}/{code}",
        payload={"code": code, "name": name, "category": category, "created": created},
    )
    return power


@transaction.atomic
def import_catalogue_rows(*, by: Person | None, unit: Unit, rows: Sequence[dict[str, Any]]) -> list[Power]:
    """Write rows already validated by powers.excel (all or nothing: one transaction)."""
    ensure_catalogue_editor(by, unit)
    Unit.objects.select_for_update().get(pk=unit.pk)
    categories = {c.code: c for c in selectors.list_categories(unit.district)}
    saved = [_upsert_power(unit, row, categories)[0] for row in rows]
    ledger.record(
        "powers.catalogue_imported",
        by=by,
        unit=unit.code,
        subject=f"unit:{unit.code}",
        payload={"rows": len(rows), "codes": [r["code"] for r in rows]},
    )
    return saved


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
        "incompatible": selectors.incompatible_pairs(unit.district),
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


def _ensure_principal(by: Person | None, unit: Unit, what: str) -> None:
    if by is not None and not rules.can_draft_plan(by, unit):
        raise Forbidden(
            "R-DIV-5", f"只有本单位一把手可以{what}分工方案（由一把手提出、报送区里）", {"unit": unit.code}
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
    _ensure_principal(by, unit, "起草")
    day = in_force_from or clock.today()
    pairs = list(dict.fromkeys((str(p), str(d)) for p, d in assignments))
    _refuse_if_invalid(check_plan(unit, pairs, day))
    powers = {p.code: p for p in selectors.list_powers(unit)}
    people = {p.username: p for p in Person.objects.filter(username__in={d for _, d in pairs})}
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
    ledger.record(
        "powers.plan_drafted",
        by=by,
        unit=unit.code,
        subject=f"plan:{unit.code}/v{version}",
        payload={
            "version": version,
            "in_force_from": str(in_force_from) if in_force_from else None,
            "assignments": [{"power": p, "deputy": d} for p, d in sorted(pairs)],
            "note": note,
        },
    )
    return plan


def _issue_checkpoint_after_commit(reason: str) -> None:
    """R-LED-2: a filing is a natural checkpoint moment. Optional: the ledger may not offer it yet."""
    try:
        from zhiheng.ledger.services import issue_checkpoint
    except ImportError:
        return

    def issue() -> None:
        try:
            issue_checkpoint(reason=reason)
        except Exception:  # the filing is committed; the hourly checkpoint will cover it
            log.exception("checkpoint after %s failed", reason)

    transaction.on_commit(issue)


def _record_in_force(plan: DivisionPlan, by: Person | None) -> None:
    ledger.record(
        "powers.plan_in_force",
        by=by,
        unit=plan.unit.code,
        subject=f"plan:{plan.unit.code}/v{plan.version}",
        payload={"version": plan.version, "in_force_from": str(plan.in_force_from)},
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
    _ensure_principal(by, unit, "报送")
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
    ledger.record(
        "powers.plan_filed",
        by=by,
        unit=unit.code,
        subject=f"plan:{unit.code}/v{plan.version}",
        payload={
            "version": plan.version,
            "in_force_from": str(day),
            "assignments": pairs,
            "deadline": plan.deadline.label if plan.deadline else None,
            "late": plan.filed_late,
        },
    )
    if day <= today:
        _record_in_force(plan, by)
    _issue_checkpoint_after_commit(f"powers.plan_filed {unit.code} v{plan.version}")
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
