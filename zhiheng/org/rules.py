"""Authorization predicates about organisation. Templates and API use the same predicates."""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Forbidden

from . import selectors
from .models import District, Unit

# --- the commission admin: one predicate, one refusal (issue #11) --------------------------------
# Every "only the district's commission admins may …" in every app goes through these two functions.


def is_commission_admin(person: Person, district: District, day: dt.date | None = None) -> bool:
    """Does this person administer the district's discipline commission on the day (default today)?"""
    return bool(
        person.is_authenticated
        and selectors.administered_districts(person, day).filter(pk=district.pk).exists()
    )


def ensure_commission_admin(by: Person | None, district: District | None, *, rule: str, action: str) -> None:
    """Refuse (403, `rule`) anyone but the district's commission admins: "只有本区纪委管理员可以{action}".
    `by=None` is the system itself (demo builder, migrations, scheduled jobs); every interface passes a
    person."""
    if by is None:
        return
    if district is None or not is_commission_admin(by, district):
        raise Forbidden(
            rule, f"只有本区纪委管理员可以{action}", {"district": district.code if district else None}
        )


def can_view_unit(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return selectors.list_units_for(person, day).filter(pk=unit.pk).exists()


def can_view_team(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """Anyone who sees the unit sees who is on its team (names and titles are not secret inside it)."""
    return can_view_unit(person, unit, day)


def can_manage_district(person: Person, district: District, day: dt.date | None = None) -> bool:
    """Create and edit units, teams and terms: the district's commission admins only."""
    return is_commission_admin(person, district, day)


def can_manage_unit(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return can_manage_district(person, unit.district, day)
