"""Authorization predicates of the powers app. Services, API and pages use the same predicates.

Choice (docs/decisions/0004-powers-division-authority.md): drafting and filing a plan is refused
with rule R-DIV-5 — the rule that names who files to the district — for everyone but the unit's
principal on the day, including the district's commission admin, who *receives* plans.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Role, Unit

from .errors import NotCatalogueEditor, NotThePrincipal


def is_principal(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return Role.PRINCIPAL in org.roles_of(person, unit, day)


def can_view_powers(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """Catalogue and plan in force: anyone who sees the unit."""
    return org_rules.can_view_unit(person, unit, day)


def can_view_drafts(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """Drafts: the unit's team (principal, deputies, inspector) and the district's commission admins."""
    return org.is_team_member(person, unit, day) or org_rules.is_commission_admin(person, unit.district, day)


def can_draft_plan(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """R-DIV-5 / API.md: the division of labour is the principal's to propose."""
    return is_principal(person, unit, day)


can_file_plan = can_draft_plan


def ensure_can_draft_plan(by: Person | None, unit: Unit, what: str = "") -> None:
    """Services and the editor page: `what` ("起草", "报送") words the refusal for the act refused."""
    if by is not None and not can_draft_plan(by, unit):
        message = (
            f"只有本单位一把手可以{what}分工方案（由一把手提出、报送区里）"
            if what
            else _("只有本单位一把手可以起草和报送分工方案")
        )
        raise NotThePrincipal(message, {"unit": unit.code})


ensure_can_file_plan = ensure_can_draft_plan


def can_edit_catalogue(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """R-DIV-1: the unit keeps its catalogue (principal); the district's commission admins may correct it."""
    return is_principal(person, unit, day) or org_rules.is_commission_admin(person, unit.district, day)


def ensure_can_edit_catalogue(by: Person | None, unit: Unit) -> None:
    if by is not None and not can_edit_catalogue(by, unit):
        raise NotCatalogueEditor(detail={"unit": unit.code})


def can_change_restricted_catalogue(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    """R-DIV-2 (issue 9 hole 7): which powers are restricted is the commission's, not the unit's. A change
    touching a restricted power takes effect when made by the district's commission admin — unless that
    admin is also the unit's principal — and is otherwise a pending change the commission accepts."""
    return org_rules.is_commission_admin(person, unit.district, day) and not is_principal(person, unit, day)


can_decide_power_change = can_change_restricted_catalogue


def can_manage_policy(person: Person, district: District, day: dt.date | None = None) -> bool:
    """R-DIV-3: templates, unit policies, incompatible pairs and deadlines are the commission's."""
    return org_rules.is_commission_admin(person, district, day)


def can_view_board(person: Person, district: District, day: dt.date | None = None) -> bool:
    return org_rules.is_commission_admin(person, district, day)


def ensure_can_view_board(person: Person, district: District) -> None:
    """The filing board is the commission's: anyone else gets 404, as for an unknown district."""
    if not can_view_board(person, district):
        raise NotFound()


def can_see_district(person: Person, district: District, day: dt.date | None = None) -> bool:
    """Who may know the district's configuration exists: its admins and the members of its units.
    Everyone else gets 404 (404 alike for unknown and invisible)."""
    if org_rules.is_commission_admin(person, district, day):
        return True
    return org.list_units_for(person, day).filter(district=district).exists()
