"""The district's configuration of the division of labour, each change a recorded, dated act:
categories (R-DIV-2), policy templates and unit policies (R-DIV-3, R-ORG-3), incompatible pairs
(R-DIV-4) and filing rounds (R-DIV-5).

Every write: lock → authorize (the district's commission admins; `by=None` is the system itself)
→ check → write → ledger.record. A refusal raises before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Unit

from .. import selectors
from ..models import Category, FilingDeadline, IncompatiblePair, PolicyTemplate, UnitPolicy

WHAT = {
    "R-DIV-2": "增设职权类别",
    "R-DIV-3": "设定政策模板和单位政策",
    "R-DIV-4": "设定不相容职权组合",
    "R-DIV-5": "设定分工方案报送期限",
}


def ensure_policy_admin(by: Person | None, district: District | None, rule: str = "R-DIV-3") -> None:
    """Only the district's commission admins configure it; the refusal names the rule configured."""
    org_rules.ensure_commission_admin(by, district, rule=rule, action=WHAT.get(rule, "设定本区政策"))


def _lock_district(district: District) -> None:
    """Serialise one district's configuration changes (version numbers, active pairs)."""
    District.objects.select_for_update().filter(pk=district.pk).first()


def _configure(by: Person | None, district: District, rule: str) -> None:
    """The start of a change to the district's configuration: its admins only, one change at a time."""
    ensure_policy_admin(by, district, rule)
    _lock_district(district)


def _record_district_change(
    event: str, *, by: Person | None, district: District, subject: str, payload: dict[str, Any]
) -> None:
    """A configuration change is recorded under the district, which its payload names first."""
    ledger.record(
        event, by=by, district=district.code, subject=subject, payload={"district": district.code, **payload}
    )


def category(code: str, district: District | None = None) -> Category:
    found = selectors.list_categories(district).filter(code=code).first()
    if found is None:
        raise Invalid("validation", f"职权类别 {code} 不存在", {"category": code})
    return found


def _not_in_the_past(day: dt.date, by: Person | None, rule: str, field: str) -> None:
    """A dated act takes effect today or later: a past date would change the answer to "was this
    power restricted / this pair forbidden on date D" for approvals already given (R-DIV-6)."""
    if by is not None and day < clock.today():
        raise Invalid(rule, "生效日期不能早于今天（已发生的历史不能追溯改变）", {field: str(day)})


# --- categories (R-DIV-2) ------------------------------------------------------------------------


@transaction.atomic
def add_category(*, by: Person | None, district: District, code: str, name: str, sort: int = 100) -> Category:
    """R-DIV-2: "and others a district adds" — a district's own category."""
    _configure(by, district, "R-DIV-2")
    if Category.objects.filter(code=code).exists():
        raise Conflict("R-DIV-2", f"职权类别代码 {code} 已存在", {"category": code})
    created = Category.objects.create(code=code, name=name, district=district, sort=sort)
    _record_district_change(
        "powers.category_added",
        by=by,
        district=district,
        subject=f"category:{code}",
        payload={"category": code, "name": name, "action": "category_added"},
    )
    return created


# --- templates (R-DIV-3) -------------------------------------------------------------------------


def _write_template(
    *,
    by: Person | None,
    owner: District | None,
    district: District | None,
    code: str,
    version: int,
    name: str,
    restricted: Iterable[str],
    x_choice: bool,
    effective_from: dt.date,
    description: str,
) -> PolicyTemplate:
    codes = list(dict.fromkeys(restricted))
    if not codes:
        raise Invalid("validation", "政策模板至少要限制一个职权类别", {"restricted": []})
    categories = [category(c, district) for c in codes]
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
        district=owner.code if owner else "",  # a city-wide template is platform-level
        subject=f"template:{code}",
        payload={
            "template": code,
            "version": version,
            "district": owner.code if owner else None,
            "restricted": sorted(c.code for c in categories),
            "x_choice": x_choice,
            "effective_from": str(effective_from),
        },
    )
    return template


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
    ensure_policy_admin(by, district)
    return _write_template(
        by=by,
        owner=owner,
        district=district,
        code=code,
        version=(existing.version + 1) if existing else 1,
        name=name,
        restricted=restricted,
        x_choice=x_choice,
        effective_from=effective_from,
        description=description,
    )


@transaction.atomic
def revise_template(
    *,
    by: Person | None,
    district: District,
    template: str,
    restricted: Iterable[str],
    x_choice: bool,
    effective_from: dt.date,
    name: str | None = None,
    description: str | None = None,
) -> PolicyTemplate:
    """R-DIV-3: the next version of one of the district's templates, keeping the current version's name
    when none (or a blank one) is given and its description when none is given."""
    current = selectors.get_template_for(district, template)
    return version_template(
        by=by,
        district=district,
        code=current.code,
        name=name or current.name,
        restricted=restricted,
        x_choice=x_choice,
        effective_from=effective_from,
        description=current.description if description is None else description,
    )


@transaction.atomic
def create_template(
    *,
    by: Person | None,
    district: District,
    code: str,
    name: str,
    restricted: Iterable[str],
    x_choice: bool,
    effective_from: dt.date,
    description: str = "",
) -> PolicyTemplate:
    """R-DIV-3: a district's own template, version 1. A code already taken is a conflict (409)."""
    _configure(by, district, "R-DIV-3")
    if PolicyTemplate.objects.filter(code=code).exists():
        raise Conflict("R-DIV-3", f"政策模板代码 {code} 已存在，请提交新版本", {"template": code})
    return _write_template(
        by=by,
        owner=district,
        district=district,
        code=code,
        version=1,
        name=name,
        restricted=restricted,
        x_choice=x_choice,
        effective_from=effective_from,
        description=description,
    )


# --- a unit's policy (R-ORG-3, R-DIV-3) ---------------------------------------------------------


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
    ensure_policy_admin(by, unit.district)
    Unit.objects.select_for_update().get(pk=unit.pk)
    _not_in_the_past(in_force_from, by, "R-DIV-3", "in_force_from")
    if template.district_id is not None and template.district_id != unit.district_id:
        raise Invalid("R-DIV-3", "不能采用其他区的政策模板", {"template": template.code})
    x_codes = list(dict.fromkeys(x_categories))
    if x_codes and not template.x_choice:
        raise Invalid("R-DIV-3", f"模板“{template.name}”不允许单位自选 X 项", {"x_categories": x_codes})
    categories = [category(c, unit.district) for c in x_codes]
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


# --- incompatible pairs (R-DIV-4, configurable) --------------------------------------------------


@transaction.atomic
def add_incompatible_pair(
    *, by: Person | None, district: District, first: str, second: str, on: dt.date | None = None
) -> IncompatiblePair:
    """R-DIV-4 (configurable): two categories one deputy may not hold together, from a date."""
    _configure(by, district, "R-DIV-4")
    a, b = sorted((first, second))
    if a == b:
        raise Invalid("validation", "不相容组合需要两个不同的类别", {"first": first, "second": second})
    day = on or clock.today()
    _not_in_the_past(day, by, "R-DIV-4", "on")
    cat_a, cat_b = category(a, district), category(b, district)
    if IncompatiblePair.objects.filter(
        district=district, first=cat_a, second=cat_b, retired_on__isnull=True
    ).exists():
        raise Conflict("R-DIV-4", f"不相容组合“{cat_a.name} × {cat_b.name}”已设定", {"pair": [a, b]})
    try:
        with transaction.atomic():
            pair = IncompatiblePair.objects.create(
                district=district, first=cat_a, second=cat_b, added_on=day, added_by=by
            )
    except IntegrityError as exc:  # a concurrent add of the same pair
        raise Conflict("R-DIV-4", "该不相容组合已设定", {"pair": [a, b]}) from exc
    _record_district_change(
        "powers.incompatible_pair_added",
        by=by,
        district=district,
        subject=f"district:{district.code}",
        payload={"pair": [a, b], "id": pair.pk, "from": str(day)},
    )
    return pair


@transaction.atomic
def retire_incompatible_pair(
    *, by: Person | None, pair: IncompatiblePair, on: dt.date | None = None
) -> IncompatiblePair:
    """R-DIV-4: a pair no longer applies from a date. The row stays (history answers past dates)."""
    pair = (
        IncompatiblePair.objects.select_for_update()
        .select_related("district", "first", "second")
        .get(pk=pair.pk)
    )
    ensure_policy_admin(by, pair.district, "R-DIV-4")
    if pair.retired_on is not None:
        raise Conflict("R-DIV-4", f"该不相容组合已于 {pair.retired_on} 取消", {"id": pair.pk})
    day = on or clock.today()
    _not_in_the_past(day, by, "R-DIV-4", "on")
    if pair.added_on is not None and day < pair.added_on:
        raise Invalid("R-DIV-4", "取消日期不能早于设定日期", {"on": str(day)})
    pair.retired_on, pair.retired_by = day, by
    pair.save(update_fields=["retired_on", "retired_by", "updated_at"])
    _record_district_change(
        "powers.incompatible_pair_retired",
        by=by,
        district=pair.district,
        subject=f"district:{pair.district.code}",
        payload={"pair": [pair.first.code, pair.second.code], "id": pair.pk, "from": str(day)},
    )
    return pair


# --- filing rounds (R-DIV-5) ---------------------------------------------------------------------


@transaction.atomic
def set_deadline(
    *, by: Person | None, district: District, label: str, opens_on: dt.date, due: dt.date
) -> FilingDeadline:
    """R-DIV-5: the district's filing round, e.g. Nanchuan 2026: from 23 February, by 1 April."""
    _configure(by, district, "R-DIV-5")
    if due < opens_on:
        raise Invalid("validation", "截止日期不能早于起始日期", {"due": str(due)})
    if FilingDeadline.objects.filter(district=district, opens_on=opens_on).exists():
        # The board answers "the round open on a date" by opens_on: two rounds opening together are ambiguous.
        raise Conflict("R-DIV-5", "该起始日期已有一轮报送", {"opens_on": str(opens_on)})
    deadline = FilingDeadline.objects.create(district=district, label=label, opens_on=opens_on, due=due)
    _record_district_change(
        "powers.deadline_set",
        by=by,
        district=district,
        subject=f"district:{district.code}",
        payload={"label": label, "opens_on": str(opens_on), "due": str(due)},
    )
    return deadline
