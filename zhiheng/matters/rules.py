"""Authorization predicates of the matters engine (R-MAT-2/4/6/7). Services raise with `ensure_*`;
pages and API responses show buttons with the same `can_*` predicates, so they never disagree."""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, DomainError, Forbidden
from zhiheng.org.models import Role
from zhiheng.org.selectors import is_commission_admin, roles_of
from zhiheng.powers.selectors import is_restricted

from . import states
from .models import Matter
from .states import MatterState


class PrincipalAttempt(Forbidden):
    """R-MAT-2 refusal of the principal on a restricted matter: the service raises RF1 before re-raising."""


def _day(matter: Matter) -> dt.date:
    return clock.local_date(matter.submitted_at)


def is_principal(person: Person, matter: Matter) -> bool:
    return Role.PRINCIPAL in roles_of(person, matter.unit)


def is_restricted_matter(matter: Matter) -> bool:
    return is_restricted(matter.power, _day(matter))


def is_interested(person: Person, matter: Matter) -> bool:
    """R-MAT-2: nobody decides a matter they submitted or in which they are the counterparty."""
    return person.pk in (matter.submitted_by_id, matter.counterparty_person_id)


def ensure_not_principal_on_restricted(person: Person, matter: Matter, action: str) -> None:
    if is_principal(person, matter) and is_restricted_matter(matter):
        raise PrincipalAttempt(
            "R-MAT-2",
            "一把手不直接分管此类事项，不能审批、否定或会签；如有异议请行使否决权（R-MAT-6）",
            {"matter": matter.pk, "action": action, "warning": "RF1"},
        )


def ensure_decider(person: Person, matter: Matter, action: str) -> None:
    """R-MAT-2: only the deputy in charge on the submission date, never about their own matter."""
    ensure_not_principal_on_restricted(person, matter, action)
    if person.pk != matter.deputy_id:
        raise Forbidden(
            "R-MAT-2",
            "只有提交之日的分管副职可以审批此事项",
            {"matter": matter.pk, "deputy": matter.deputy.username},
        )
    if is_interested(person, matter):
        raise Forbidden("R-MAT-2", "不得审批本人提交或本人为相对方的事项", {"matter": matter.pk})


def ensure_decidable_alone(matter: Matter) -> None:
    """R-MAT-3 and R-MAT-7: what the deputy may not decide alone (checked after the state)."""
    if matter.requires_collective:
        raise Conflict(
            "R-MAT-3",
            "该事项须经领导班子集体会审决定，分管副职不能单独决定",
            {"matter": matter.pk, "reasons": matter.collective_reasons},
        )
    if matter.requires_joint_review and not joint_review_agreed(matter):
        raise Conflict("R-MAT-7", "该执法决定须先经执法会审小组（至少三人）一致同意", {"matter": matter.pk})


def joint_panel(matter: Matter) -> dict[int, str]:
    """{person pk: role} of the R-MAT-7 panel: deputy in charge, legal officer, unit inspector."""
    from zhiheng.org.selectors import memberships_on

    from .selectors import rules_for

    panel: dict[int, str] = {matter.deputy_id: "deputy"}
    legal = rules_for(matter.unit).legal_officer_id
    if legal:
        panel.setdefault(legal, "legal_officer")
    for m in memberships_on(matter.unit).filter(role=Role.INSPECTOR):
        panel.setdefault(m.person_id, "inspector")
    return panel


def joint_review_agreed(matter: Matter) -> bool:
    opinions = list(matter.joint_opinions.values_list("member_id", "opinion"))
    panel = joint_panel(matter)
    given = dict(opinions)
    return len(panel) >= 3 and all(given.get(pk) == "agree" for pk in panel)


def _safe(check, *args) -> bool:
    try:
        check(*args)
    except DomainError:
        return False
    return True


def can_approve(person: Person, matter: Matter) -> bool:
    return (
        states.can(matter.state, "approve")
        and _safe(ensure_decider, person, matter, "approve")
        and _safe(ensure_decidable_alone, matter)
    )


def can_reject(person: Person, matter: Matter) -> bool:
    return can_approve(person, matter)  # same gate: a decision is a decision either way


def can_refer(person: Person, matter: Matter) -> bool:
    if not states.can(matter.state, "refer"):
        return False
    if person.pk == matter.deputy_id:
        return True
    # A meeting's organiser (any voting team member) may take up a matter the rules send to it anyway.
    return matter.requires_collective and bool(roles_of(person, matter.unit) & {Role.PRINCIPAL, Role.DEPUTY})


def can_veto(person: Person, matter: Matter) -> bool:
    return states.can(matter.state, "veto") and is_principal(person, matter)


def can_cosign(person: Person, matter: Matter) -> bool:
    return (
        matter.state == MatterState.AWAITING_COSIGN
        and not (is_principal(person, matter) and is_restricted_matter(matter))
        and matter.cosigns.filter(signer=person, signed_at__isnull=True).exists()
    )


def can_execute(person: Person, matter: Matter) -> bool:
    return states.can(matter.state, "execute") and person.pk in (matter.submitted_by_id, matter.deputy_id)


def can_withdraw(person: Person, matter: Matter) -> bool:
    return states.can(matter.state, "withdraw") and person.pk == matter.submitted_by_id


def can_give_joint_opinion(person: Person, matter: Matter) -> bool:
    return (
        matter.requires_joint_review
        and states.can(matter.state, "joint_opinion")
        and person.pk in joint_panel(matter)
        and not matter.joint_opinions.filter(member=person).exists()
    )


def can_add_evidence(person: Person, matter: Matter) -> bool:
    return matter.state not in states.CLOSED and person.pk in (matter.submitted_by_id, matter.deputy_id)


def is_admin_of(person: Person, matter: Matter) -> bool:
    return is_commission_admin(person, matter.unit.district)


def actions_for(person: Person, matter: Matter) -> dict[str, bool]:
    """Every button of the matter page and the API's "actions", from the predicates above."""
    return {
        "approve": can_approve(person, matter),
        "reject": can_reject(person, matter),
        "refer": can_refer(person, matter),
        "veto": can_veto(person, matter),
        "cosign": can_cosign(person, matter),
        "execute": can_execute(person, matter),
        "withdraw": can_withdraw(person, matter),
        "joint_review": can_give_joint_opinion(person, matter),
        "evidence": can_add_evidence(person, matter),
    }
