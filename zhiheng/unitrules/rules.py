"""Who may do what with unit rules (R-PIL-2): `can_<verb>` answers pages and API `actions`; `ensure_<verb>`
refuses for services. Both come from one refusal function per use case, so they cannot disagree.

- read a unit's rules: everyone who sees the unit (a term in it, or the district's commission admins) —
  a unit's rules bind all who work in it;
- record a version, adopt a model, repeal: a member of the leadership team — principal or deputy — records
  what the team decided collectively; the decision itself is the sealed meeting and its passed agenda item
  that every version and every repeal cites (services), so no single member's say-so changes a rule. The
  unit inspector supervises (and attends the meeting), staff carry out: neither records;
- the district's library of model rules 制度范本: read by everyone holding a term in one of the district's
  units and by its commission admins; written by the commission admins only.
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.core.errors import DomainError
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Role, Unit

from . import states
from .errors import NotALibrarian, NotAWriter, OutOfOrder
from .models import ModelRule, Rule

WRITERS = frozenset({Role.PRINCIPAL, Role.DEPUTY})


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def can_view_rules(person: Person, unit: Unit) -> bool:
    return person.is_authenticated and org_rules.can_view_unit(person, unit)


def is_writer(person: Person, unit: Unit) -> bool:
    return person.is_authenticated and bool(org.roles_of(person, unit) & WRITERS)


def write_refusal(
    person: Person, unit: Unit, rule: Rule | None = None, action: str = ""
) -> DomainError | None:
    if not is_writer(person, unit):
        return NotAWriter(detail={"unit": unit.code})
    if rule is not None and action and not states.allowed(rule.status, action):
        return OutOfOrder(detail={"rule": rule.code, "status": rule.status})
    return None


def can_write(person: Person, unit: Unit) -> bool:
    return write_refusal(person, unit) is None


def ensure_write(by: Person | None, unit: Unit, rule: Rule | None = None, action: str = "") -> None:
    if by is not None:
        _raise(write_refusal(by, unit, rule, action))


def actions_for(person: Person, rule: Rule) -> dict[str, bool]:
    return {
        "revise": write_refusal(person, rule.unit, rule, "revise") is None,
        "repeal": write_refusal(person, rule.unit, rule, "repeal") is None,
    }


# -- the district's library ------------------------------------------------------------------------------


def can_view_library(person: Person, district: District) -> bool:
    if not person.is_authenticated:
        return False
    return org_rules.is_commission_admin(person, district) or (
        org.current_memberships_of(person).filter(unit__district=district).exists()
    )


def library_refusal(person: Person, district: District, model: ModelRule | None = None) -> DomainError | None:
    if not org_rules.is_commission_admin(person, district):
        return NotALibrarian(detail={"district": district.code})
    if model is not None and not states.allowed(model.status, "edit_model"):
        return OutOfOrder(detail={"model": model.code, "status": model.status})
    return None


def can_edit_library(person: Person, district: District) -> bool:
    return person.is_authenticated and library_refusal(person, district) is None


def ensure_library(by: Person | None, district: District, model: ModelRule | None = None) -> None:
    if by is not None:
        _raise(library_refusal(by, district, model))


def model_actions_for(person: Person, model: ModelRule) -> dict[str, bool]:
    editable = person.is_authenticated and library_refusal(person, model.district, model) is None
    return {
        "edit": editable,
        "withdraw": editable,
        "adopt": model.status == states.ModelStatus.ACTIVE
        and any(
            is_writer(person, m.unit)
            for m in org.current_memberships_of(person).select_related("unit")
            if m.unit.district_id == model.district_id
        ),
    }
