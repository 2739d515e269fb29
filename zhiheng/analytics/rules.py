"""Who reads which analytics (SPEC §11, §1): the commission its district, a unit's team its unit.

- a commission admin 纪委管理员: every unit of the districts they administer, and each district as a whole;
- a member of a unit's leadership team today — the principal, a deputy, the unit inspector 纪检组长: that
  unit;
- anyone else (staff, the public, another unit's team): nothing — 404 alike for unknown and unreadable
  scopes, as every read in Zhiheng.

Warnings raised and resolved are read through risk's own visibility (risk.selectors.visible_warnings): the
commission and the unit inspector see them; a principal or a deputy sees no warning counts (SPEC R-GATE-7:
never a warning about themself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid, NotFound
from zhiheng.org.models import TEAM_ROLES, District, Membership, Role, Unit
from zhiheng.org.selectors import administered_districts, current

from .selectors import Period


@dataclass(frozen=True)
class Scope:
    """The units an analytics page or answer covers: a district's (`district`), or one unit's (`unit`)."""

    units: list[Unit]
    district: District | None = None
    unit: Unit | None = None

    @property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.units]

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.district is not None:
            return self.district.name
        return ""


def readable_units(person: Person, day: dt.date | None = None) -> QuerySet[Unit]:
    """Every unit whose analytics the person may read on `day` (today by default)."""
    if not person.is_authenticated:
        return Unit.objects.none()
    day = day or clock.today()
    team = current(Membership.objects.filter(person=person, role__in=TEAM_ROLES), day).values("unit_id")
    districts = administered_districts(person, day).values("pk")
    return (
        Unit.objects.filter(Q(pk__in=team) | Q(district__in=districts))
        .select_related("district")
        .order_by("district__code", "code")
    )


def can_read_unit(person: Person, unit: Unit) -> bool:
    return readable_units(person).filter(pk=unit.pk).exists()


def can_read_district(person: Person, district: District) -> bool:
    return administered_districts(person, clock.today()).filter(pk=district.pk).exists()


def scope_for(person: Person, *, unit: str | None = None, district: str | None = None) -> Scope:
    """The scope asked for (a unit's code, a district's code, both: the unit, which must be in the
    district), or the person's own when neither is given: their first administered district, else every
    unit whose team they belong to. NotFound alike for unknown and unreadable scopes, and for a person who
    reads no analytics at all."""
    if unit:
        found = readable_units(person).filter(code=unit).first()
        if found is None or (district and found.district.code != district):
            raise NotFound()
        return Scope([found], found.district, found)
    if district:
        chosen = administered_districts(person, clock.today()).filter(code=district).first()
        if chosen is None:
            raise NotFound()
        return Scope(list(chosen.units.select_related("district").order_by("code")), chosen)
    administered = administered_districts(person, clock.today()).order_by("code").first()
    if administered is not None:
        return scope_for(person, district=administered.code)
    units = list(readable_units(person))
    if not units:
        raise NotFound()
    if len(units) == 1:
        return Scope(units, units[0].district, units[0])
    return Scope(units)


MAX_YEARS = 20  # a period longer than this is no question anyone asks; it bounds the months drawn


def period(start: dt.date | None, end: dt.date | None) -> Period:
    """The period asked for, or 422 ("validation") when it ends before it starts or spans over MAX_YEARS."""
    if start is not None and end is not None:
        if end < start:
            raise Invalid("validation", "结束日期早于开始日期", {"fields": {"to": ["不能早于开始日期"]}})
        if (end - start).days > MAX_YEARS * 366:
            raise Invalid("validation", "统计期间过长", {"fields": {"from": [f"不能超过{MAX_YEARS}年"]}})
    return Period(start, end)


def parse_date(field: str, text: str) -> dt.date | None:
    """A date from a page's filter (YYYY-MM-DD; empty: none), or 422 naming the field."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid("validation", "日期格式应为 YYYY-MM-DD", {"fields": {field: ["日期无效"]}}) from None


def sees_warnings(person: Person, scope: Scope) -> bool:
    """Whether the warnings chart is for this viewer: they supervise every unit of the scope — the
    commission of its district, or the unit's inspector — as risk.rules.visible_warnings has it. A
    principal or a deputy sees no warning counts of their unit (R-GATE-7)."""
    today = clock.today()
    districts = set(administered_districts(person, today).values_list("pk", flat=True))
    inspected = set(
        current(Membership.objects.filter(person=person, role=Role.INSPECTOR), today).values_list(
            "unit_id", flat=True
        )
    )
    return bool(scope.units) and all(u.district_id in districts or u.pk in inspected for u in scope.units)
