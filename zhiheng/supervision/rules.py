"""Who may do what with a monthly report (R-SUP-1) — the one authority for pages, API and services.

- see a unit's reports: the unit's leadership team today (principal, deputies, unit inspector), the
  district's commission admins, and the members of an inspection group while its check on the unit holds
  (R-SUP-2; each such read is logged). Staff, other units and other districts see nothing (404).
- acknowledge: a member of the team today (the commission sees, but does not acknowledge: 403 R-SUP-1).
- remark: the unit inspector today.
"""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person
from zhiheng.inspections import selectors as inspections
from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import District, Role, Unit
from zhiheng.org.rules import is_commission_admin

from .errors import NotOnTheTeam, NotTheInspector


def can_view_reports(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return _own_right(person, unit, day) or reads_under_check(person, unit)


def _own_right(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return org_selectors.is_team_member(person, unit, day) or is_commission_admin(person, unit.district, day)


def reads_under_check(person: Person, unit: Unit) -> bool:
    """An inspection group's check on the unit lets its members read the reports while it holds (R-SUP-2),
    and only then: such reads are logged (selectors.get_report_for)."""
    return not _own_right(person, unit) and inspections.active_inspection(person, unit.pk) is not None


def can_view_district(person: Person, district: District, day: dt.date | None = None) -> bool:
    """The district month page (every unit's reports): the district's commission admins."""
    return is_commission_admin(person, district, day)


def can_acknowledge(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return org_selectors.is_team_member(person, unit, day)


def can_remark(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return Role.INSPECTOR in org_selectors.roles_of(person, unit, day)


def ensure_can_acknowledge(by: Person, unit: Unit) -> None:
    if not can_acknowledge(by, unit):
        raise NotOnTheTeam(detail={"unit": unit.code})


def ensure_can_remark(by: Person, unit: Unit) -> None:
    if not can_remark(by, unit):
        raise NotTheInspector(detail={"unit": unit.code})
