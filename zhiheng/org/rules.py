"""Authorization predicates about organisation. Templates and API use the same predicates."""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person

from . import selectors
from .models import District, Unit


def can_view_unit(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return selectors.list_units_for(person, day).filter(pk=unit.pk).exists()


def can_view_team(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """Anyone who sees the unit sees who is on its team (names and titles are not secret inside it)."""
    return can_view_unit(person, unit, day)


def can_manage_district(person: Person, district: District, day: dt.date | None = None) -> bool:
    """Create and edit units, teams and terms: the district's commission admins only."""
    return selectors.is_commission_admin(person, district, day)


def can_manage_unit(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return can_manage_district(person, unit.district, day)
