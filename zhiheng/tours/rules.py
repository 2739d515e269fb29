"""Who may do what with inspection tours (R-GATE-5): `can_<verb>` answers pages and API `actions`;
`ensure_<verb>` refuses for services; both from one predicate each. Written from the side of the people
toured — the principal must not be able to steer, read or close their own tour:

- open a tour: the district's commission admins; its team are commission admins or inspection-group members
  of the district, none of them on a targeted unit's team;
- run it (read it — opinions included — complete steps, record opinions, open and close rectifications,
  transfer leads): its team and the district's commission admins, except anyone on a targeted unit's team
  today — so a principal never reads the opinions about themself nor closes their own rectification;
- answer a rectification (report what was rectified): the targeted unit's principal or inspector today;
- read a unit's rectifications: its leadership team and the commission.
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, DistrictRoleKind, Role, Unit

from .errors import NotTheUnit, NotTourStaff
from .models import Rectification, Target, Tour


def is_group_member(person: Person, tour: Tour) -> bool:
    """A commission admin or inspection-group member of the tour's district today."""
    kinds = {DistrictRoleKind.COMMISSION_ADMIN, DistrictRoleKind.INSPECTION}
    return org.district_roles_of(person).filter(district=tour.district_id, role__in=kinds).exists()


def is_toured(person: Person, tour: Tour) -> bool:
    """On the team (or the inspector) of a unit the tour targets, today."""
    units = [t.unit for t in tour.targets.all() if t.unit is not None]
    return any(org.roles_of(person, unit) & {*TEAM_ROLES, Role.INSPECTOR} for unit in units)


def is_staff(person: Person, tour: Tour) -> bool:
    """The tour's team or the district's commission admins — never anyone toured."""
    if not person.is_authenticated:
        return False
    runs = org_rules.is_commission_admin(person, tour.district) or tour.team.filter(pk=person.pk).exists()
    return runs and not is_toured(person, tour)


def ensure_staff(by: Person | None, tour: Tour) -> None:
    if by is not None and not is_staff(by, tour):
        raise NotTourStaff()


def can_view(person: Person, tour: Tour) -> bool:
    return is_staff(person, tour)


def answers_for(person: Person, unit: Unit | None) -> bool:
    """The unit's principal or inspector today."""
    return unit is not None and bool(org.roles_of(person, unit) & {Role.PRINCIPAL, Role.INSPECTOR})


def can_answer(person: Person, item: Rectification) -> bool:
    return person.is_authenticated and answers_for(person, item.target.unit)


def ensure_answer(by: Person | None, item: Rectification) -> None:
    if by is not None and not can_answer(by, item):
        raise NotTheUnit()


def can_view_unit(person: Person, unit: Unit) -> bool:
    """A unit's rectifications: its leadership team and inspector, and the district's commission admins."""
    if not person.is_authenticated:
        return False
    return bool(org.roles_of(person, unit) & {*TEAM_ROLES, Role.INSPECTOR}) or org_rules.is_commission_admin(
        person, unit.district
    )


def may_see_archive_entry(viewer: Person, target_pk: int) -> bool:
    """A tour's entry in a principal's archive: the tour's staff (so never the principal, who was toured)."""
    target = Target.objects.select_related("tour__district").filter(pk=target_pk).first()
    return target is not None and viewer.pk != target.principal_id and is_staff(viewer, target.tour)


def actions_for(person: Person, tour: Tour) -> dict[str, bool]:
    staff = is_staff(person, tour)
    open_ = tour.done_on is None
    return {"advance": staff and open_, "record": staff and open_, "close": staff}
