"""Who may do what with the risk register (R-GATE-6): `can_<verb>` answers pages and API `actions`;
`ensure_<verb>` refuses for services. Both come from one refusal function per use case, so they cannot
disagree. Written from the side of the person constrained — the principal must not be able to quietly
lower the risk of powers they hold or once held:

- read: the unit's published register is 公示 inside the unit — everyone holding a term there (principal,
  team, inspector, staff); drafts and retired points are the leadership team's; the district's commission
  admins see everything. Everyone else: 404, as for a point that does not exist (selectors).
- propose, edit, review a point: the deputy in charge of its power today (powers.deputy_in_charge) and the
  unit inspector — not the principal, who holds no power directly (R-DIV) and must not grade its risks;
- publish (公示): the unit's principal or its inspector (either, so the principal cannot hold the register
  back by not acting);
- retire: the unit inspector or the commission, with a reason — retiring is the strongest downgrade;
- require a review: the commission (and the unit inspector), with a reason;
- every change of grade of a point once published states a reason, recorded with the old and the new grade
  (services), so a downgrade is never quiet.
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.core.errors import DomainError
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, Role, Unit
from zhiheng.powers import selectors as powers
from zhiheng.powers.models import Power

from . import states
from .errors import NotAnEditor, NotAPublisher, NotARetirer, NotASupervisor, OutOfOrder
from .models import RiskPoint
from .states import Status


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def _roles(person: Person, unit: Unit) -> set[str]:
    return org.roles_of(person, unit) if person.is_authenticated else set()


def is_admin(person: Person, unit: Unit) -> bool:
    return org_rules.is_commission_admin(person, unit.district)


def sees_drafts(person: Person, unit: Unit) -> bool:
    """Drafts and retired points: the leadership team and the district's commission admins."""
    return bool(_roles(person, unit) & set(TEAM_ROLES)) or is_admin(person, unit)


def can_view_register(person: Person, unit: Unit) -> bool:
    """The published register (公示): anyone holding a term in the unit, and the commission."""
    return bool(_roles(person, unit)) or is_admin(person, unit)


def can_view(person: Person, point: RiskPoint) -> bool:
    if point.status == Status.PUBLISHED:
        return can_view_register(person, point.unit)
    return sees_drafts(person, point.unit)


def is_editor(person: Person, unit: Unit, power: Power) -> bool:
    """The deputy in charge of the power today, or the unit inspector."""
    if not person.is_authenticated:
        return False
    if Role.INSPECTOR in _roles(person, unit):
        return True
    return powers.deputy_in_charge(unit, power) == person


def is_supervisor(person: Person, unit: Unit) -> bool:
    """The unit inspector or the district's commission admins."""
    return Role.INSPECTOR in _roles(person, unit) or is_admin(person, unit)


# -- proposing a point under a power --------------------------------------------------------------------


def propose_refusal(person: Person, power: Power) -> DomainError | None:
    if not is_editor(person, power.unit, power):
        return NotAnEditor(detail={"power": power.code})
    return None


def can_propose(person: Person, power: Power) -> bool:
    return propose_refusal(person, power) is None


def can_propose_in(person: Person, unit: Unit) -> bool:
    """Whether the person may propose a point under some power of the unit (the page's "登记" button)."""
    if not person.is_authenticated:
        return False
    return Role.INSPECTOR in _roles(person, unit) or powers.powers_held_by(person, unit).exists()


def ensure_propose(by: Person | None, power: Power) -> None:
    if by is not None:
        _raise(propose_refusal(by, power))


# -- editing and reviewing ------------------------------------------------------------------------------


def edit_refusal(person: Person, point: RiskPoint, action: str = "edit") -> DomainError | None:
    if not is_editor(person, point.unit, point.power):
        return NotAnEditor(detail={"point": point.pk})
    if not states.allowed(point.status, action):
        return OutOfOrder(detail={"point": point.pk, "status": point.status})
    return None


def can_edit(person: Person, point: RiskPoint) -> bool:
    return edit_refusal(person, point) is None


def ensure_edit(by: Person | None, point: RiskPoint) -> None:
    if by is not None:
        _raise(edit_refusal(by, point))


def can_review(person: Person, point: RiskPoint) -> bool:
    return edit_refusal(person, point, "review") is None


def ensure_review(by: Person | None, point: RiskPoint) -> None:
    if by is not None:
        _raise(edit_refusal(by, point, "review"))


# -- publishing, retiring, requiring a review --------------------------------------------------------------


def publish_refusal(person: Person, point: RiskPoint) -> DomainError | None:
    if not ({Role.PRINCIPAL, Role.INSPECTOR} & _roles(person, point.unit)):
        return NotAPublisher(detail={"point": point.pk})
    if not states.allowed(point.status, "publish"):
        return OutOfOrder(detail={"point": point.pk, "status": point.status})
    return None


def can_publish(person: Person, point: RiskPoint) -> bool:
    return publish_refusal(person, point) is None


def ensure_publish(by: Person | None, point: RiskPoint) -> None:
    if by is not None:
        _raise(publish_refusal(by, point))


def retire_refusal(person: Person, point: RiskPoint) -> DomainError | None:
    if not is_supervisor(person, point.unit):
        return NotARetirer(detail={"point": point.pk})
    if not states.allowed(point.status, "retire"):
        return OutOfOrder(detail={"point": point.pk, "status": point.status})
    return None


def can_retire(person: Person, point: RiskPoint) -> bool:
    return retire_refusal(person, point) is None


def ensure_retire(by: Person | None, point: RiskPoint) -> None:
    if by is not None:
        _raise(retire_refusal(by, point))


def require_review_refusal(person: Person, point: RiskPoint) -> DomainError | None:
    if not is_supervisor(person, point.unit):
        return NotASupervisor(detail={"point": point.pk})
    if not states.allowed(point.status, "review"):
        return OutOfOrder(detail={"point": point.pk, "status": point.status})
    return None


def can_require_review(person: Person, point: RiskPoint) -> bool:
    return require_review_refusal(person, point) is None


def ensure_require_review(by: Person | None, point: RiskPoint) -> None:
    if by is not None:
        _raise(require_review_refusal(by, point))


def can_see_incident_details(person: Person, unit: Unit) -> bool:
    """Which warnings lie behind a point's incidents: the unit inspector and the commission (as the warnings
    themselves, risk.rules); everyone else who sees the point sees the counts of findings and the flag."""
    return is_supervisor(person, unit)


def actions_for(person: Person, point: RiskPoint) -> dict[str, bool]:
    """Every button of the point's page and the API's "actions", from the predicates above."""
    return {
        "edit": can_edit(person, point),
        "review": can_review(person, point),
        "publish": can_publish(person, point),
        "retire": can_retire(person, point),
        "require_review": can_require_review(person, point),
    }
