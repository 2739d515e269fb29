"""Who may do what with pilot programmes (R-PIL-1; SPEC §1): `can_<verb>` answers pages and API `actions`,
`<verb>_refusal` gives the refusal the services raise (`ensure_<verb>`), so the two cannot disagree.

- configure (create a programme, add or remove units, set phases, record a visit, roll out): the district's
  commission admins — "configure … pilots" is theirs alone;
- read: the commission admins of the district; the principal and the unit inspector of a unit taking part
  in the programme (or brought in by its rollout) see that programme — "see everything in the unit" —, and
  its visits to their own unit. Everyone else: 404, as for a programme that does not exist (selectors).
- what the programme's stage allows (states.py): units change only before formal implementation begins and
  before the rollout; phases not after the rollout, and a phase begun never; the rollout once, after formal
  implementation.
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Role

from . import states
from .errors import NotTheCommission, PhaseBegun, RolledOut, RolloutTooEarly, UnitsFixed
from .models import Programme
from .states import PhaseName

# The roles of a unit taking part that see its programme (SPEC §1: "see everything in the unit").
WATCHING_ROLES = (Role.PRINCIPAL, Role.INSPECTOR)


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def is_admin(person: Person, district: District) -> bool:
    return org_rules.is_commission_admin(person, district)


def watched_unit_ids(person: Person) -> set[int]:
    """The units where the person is principal or inspector today."""
    terms = org.current_memberships_of(person).filter(role__in=WATCHING_ROLES)
    return set(terms.values_list("unit_id", flat=True))


def taking_part(programme: Programme) -> set[int]:
    """The units of the programme: its pilot units and those its rollout brought in."""
    members = set(programme.members.values_list("unit_id", flat=True))
    return members | set(programme.rollout_units.values_list("unit_id", flat=True))


def can_view(person: Person, programme: Programme) -> bool:
    if not person.is_authenticated:
        return False
    return is_admin(person, programme.district) or bool(watched_unit_ids(person) & taking_part(programme))


# -- configuring ------------------------------------------------------------------------------------------


def create_refusal(person: Person, district: District) -> DomainError | None:
    if not is_admin(person, district):
        return NotTheCommission(detail={"district": district.code})
    return None


def can_create(person: Person, district: District) -> bool:
    return create_refusal(person, district) is None


def ensure_create(by: Person | None, district: District) -> None:
    if by is not None:
        _raise(create_refusal(by, district))


def _configure_refusal(person: Person | None, programme: Programme) -> DomainError | None:
    """The commission (`None` is the system itself), and a programme not rolled out."""
    if person is not None and not is_admin(person, programme.district):
        return NotTheCommission(detail={"programme": programme.pk})
    if programme.rolled_out_on is not None:
        return RolledOut(detail={"programme": programme.pk, "rolled_out_on": str(programme.rolled_out_on)})
    return None


def units_refusal(person: Person | None, programme: Programme) -> DomainError | None:
    """Adding or removing a unit: before formal implementation begins (states.units_fixed)."""
    refusal = _configure_refusal(person, programme)
    if refusal is None and states.units_fixed(programme.phase_dates(), False, clock.today()):
        start = programme.phase_dates()[PhaseName.IMPLEMENTATION]
        return UnitsFixed(detail={"programme": programme.pk, "implementation_from": str(start)})
    return refusal


def phase_refusal(person: Person | None, programme: Programme, name: str | None = None) -> DomainError | None:
    """Setting a phase's date: not after the rollout, and never a phase already begun."""
    refusal = _configure_refusal(person, programme)
    if refusal is None and name is not None and states.begun(programme.phase_dates(), name, clock.today()):
        return PhaseBegun(detail={"programme": programme.pk, "phase": name})
    return refusal


def visit_refusal(person: Person | None, programme: Programme) -> DomainError | None:
    """A visit is recorded by the commission, also after the rollout (the pilot units are still visited)."""
    if person is not None and not is_admin(person, programme.district):
        return NotTheCommission(detail={"programme": programme.pk})
    return None


def rollout_refusal(person: Person | None, programme: Programme) -> DomainError | None:
    refusal = _configure_refusal(person, programme)
    if refusal is None and PhaseName.IMPLEMENTATION not in programme.phase_dates():
        return RolloutTooEarly(detail={"programme": programme.pk, "fields": {"on": ["尚未设定正式实施日期"]}})
    return refusal


def ensure_units(by: Person | None, programme: Programme) -> None:
    _raise(units_refusal(by, programme))


def ensure_phase(by: Person | None, programme: Programme, name: str | None = None) -> None:
    _raise(phase_refusal(by, programme, name))


def ensure_visit(by: Person | None, programme: Programme) -> None:
    _raise(visit_refusal(by, programme))


def ensure_rollout(by: Person | None, programme: Programme) -> None:
    _raise(rollout_refusal(by, programme))


def actions_for(person: Person, programme: Programme) -> dict[str, bool]:
    """Every button of the programme's page and the API's "actions", from the refusals above."""
    return {
        "change_units": units_refusal(person, programme) is None,
        "set_phase": phase_refusal(person, programme) is None,
        "record_visit": visit_refusal(person, programme) is None,
        "roll_out": rollout_refusal(person, programme) is None,
    }
