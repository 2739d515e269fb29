"""Who may do what with meetings (R-MTG-1). Pages and API show or hide actions with the same predicates.

- create a meeting, put items on its agenda, record attendance: the unit's principal, deputies and
  unit inspector holding a term on the meeting date (the team prepares its own meetings; the inspector
  because they attend every collective decision). Staff and the commission do not convene a unit's
  meeting.
- close (compute and seal): the chair (by default the principal) or the principal on the date.
- correct sealed minutes: the chair, the principal or the unit inspector.
- see a meeting: the unit's team (on the meeting date or today), the district's commission admins, and
  whoever was recorded at the meeting (observers included).
"""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, Role, Unit

from .models import Meeting


def team_roles_on(person: Person, unit: Unit, day: dt.date) -> set[str]:
    return org.roles_of(person, unit, day) & set(TEAM_ROLES)


def can_convene(person: Person, unit: Unit, day: dt.date) -> bool:
    return bool(team_roles_on(person, unit, day))


def can_manage(person: Person, meeting: Meeting) -> bool:
    return can_convene(person, meeting.unit, meeting.date)


def can_close(person: Person, meeting: Meeting) -> bool:
    return person.pk == meeting.chair_id or Role.PRINCIPAL in org.roles_of(person, meeting.unit, meeting.date)


def can_correct(person: Person, meeting: Meeting) -> bool:
    roles = org.roles_of(person, meeting.unit, meeting.date) | org.roles_of(person, meeting.unit)
    return person.pk == meeting.chair_id or bool(roles & {Role.PRINCIPAL, Role.INSPECTOR})


def can_view(person: Person, meeting: Meeting) -> bool:
    if not person.is_authenticated:
        return False
    unit = meeting.unit
    if team_roles_on(person, unit, meeting.date) or org.is_team_member(person, unit):
        return True
    if org_rules.is_commission_admin(person, unit.district):
        return True
    return meeting.attendance.filter(person=person).exists()


def can_recommend(person: Person, meeting: Meeting) -> bool:
    """Real-name recommendation (R-MTG-5): any member of the unit (team or staff) on the date or today."""
    return bool(org.roles_of(person, meeting.unit, meeting.date) or org.roles_of(person, meeting.unit))
