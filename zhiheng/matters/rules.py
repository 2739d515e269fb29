"""Authorization predicates of the matters engine (R-MAT-2/4/6/7). Services raise with `ensure_*`;
pages and API responses show buttons with the same `can_*` predicates, so they never disagree.

Every predicate takes `who`: a Person, or a viewer.Viewer that answers roles, restriction and the
joint-review panel from per-request caches (lists render `actions` in a constant number of queries).
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, DomainError, Forbidden
from zhiheng.org.models import Role
from zhiheng.org.rules import is_commission_admin

from . import states
from .models import Matter
from .states import MatterState
from .viewer import Viewer

Who = Person | Viewer


class PrincipalAttempt(Forbidden):
    """R-MAT-2 refusal of the principal on a restricted matter: the service raises RF1 before re-raising."""


def is_principal(who: Who, matter: Matter) -> bool:
    return Viewer.of(who).is_principal(matter)


def is_restricted_matter(matter: Matter, who: Who | None = None) -> bool:
    """Whether the matter's power was restricted on its submission day: frozen on the matter then (issue 9
    hole 7), so re-categorising the power in the catalogue later changes nothing for it. `who` is kept for
    the callers' signature; the answer no longer depends on who asks."""
    return matter.restricted


def is_interested(who: Who, matter: Matter) -> bool:
    """R-MAT-2: nobody decides a matter they submitted or in which they are the counterparty."""
    return who.pk in (matter.submitted_by_id, matter.counterparty_person_id)


def ensure_not_principal_on_restricted(who: Who, matter: Matter, action: str) -> None:
    if is_principal(who, matter) and is_restricted_matter(matter):
        raise PrincipalAttempt(
            "R-MAT-2",
            "一把手不直接分管此类事项，不能审批、否定或会签；如有异议请行使否决权（R-MAT-6）",
            {"matter": matter.pk, "action": action, "warning": "RF1"},
        )


def ensure_decider(who: Who, matter: Matter, action: str, *, in_charge: bool = True) -> None:
    """R-MAT-2: only the deputy in charge on the submission date — or, once their term has ended, whoever
    is in charge of the power now (the matter is handed over first, issue 9 hole 8) — never about their
    own matter. Nobody without a current deputy term decides; `in_charge` False (the deputy left and
    nobody is in charge now) refuses everyone with R-DIV-4."""
    v = Viewer.of(who)
    ensure_not_principal_on_restricted(v, matter, action)
    if Role.DEPUTY not in v.roles(matter.unit_id):
        raise Forbidden(
            "R-MAT-2",
            "您在本单位没有现任副职任期（任期已结束或并非副职），不能审批此事项",
            {"matter": matter.pk, "action": action},
        )
    if not in_charge:
        raise Conflict(
            "R-DIV-4",
            "原分管副职任期已结束，该职权目前没有分管副职，请先调整分工方案",
            {"matter": matter.pk, "power": matter.power.code},
        )
    if who.pk != matter.deputy_id:
        raise Forbidden(
            "R-MAT-2",
            "只有提交之日的分管副职可以审批此事项",
            {"matter": matter.pk, "deputy": matter.deputy.username},
        )
    if is_interested(who, matter):
        raise Forbidden("R-MAT-2", "不得审批本人提交或本人为相对方的事项", {"matter": matter.pk})


def ensure_signer_in_office(who: Who, matter: Matter, role: str) -> None:
    """Issue 9 hole 8: a co-signer signs only while holding the term the role needs (deputy or inspector)."""
    needed = Role.INSPECTOR if role == "inspector" else Role.DEPUTY
    if needed not in Viewer.of(who).roles(matter.unit_id):
        raise Forbidden(
            "R-MAT-2", "您在本单位的任期已结束，不能会签此事项", {"matter": matter.pk, "role": role}
        )


def ensure_decidable_alone(matter: Matter, who: Who | None = None) -> None:
    """R-MAT-3 and R-MAT-7: what the deputy may not decide alone (checked after the state)."""
    if matter.requires_collective:
        raise Conflict(
            "R-MAT-3",
            "该事项须经领导班子集体会审决定，分管副职不能单独决定",
            {"matter": matter.pk, "reasons": matter.collective_reasons},
        )
    if matter.requires_joint_review and not joint_review_agreed(matter, who):
        raise Conflict("R-MAT-7", "该执法决定须先经执法会审小组（至少三人）一致同意", {"matter": matter.pk})


def joint_panel(matter: Matter, *, with_deputy: bool = True) -> dict[int, str]:
    """{person pk: role} of the R-MAT-7 panel: deputy in charge, legal officer, unit inspector."""
    from zhiheng.org.selectors import memberships_on

    from .selectors import rules_for

    panel: dict[int, str] = {matter.deputy_id: "deputy"} if with_deputy else {}
    legal = rules_for(matter.unit).legal_officer_id
    if legal:
        panel.setdefault(legal, "legal_officer")
    for m in memberships_on(matter.unit).filter(role=Role.INSPECTOR):
        panel.setdefault(m.person_id, "inspector")
    return panel


def joint_review_agreed(matter: Matter, who: Who | None = None) -> bool:
    panel = Viewer.of(who).panel(matter) if who is not None else joint_panel(matter)
    given = {o.member_id: o.opinion for o in matter.joint_opinions.all()}
    return len(panel) >= 3 and all(given.get(pk) == "agree" for pk in panel)


def _safe(check, *args) -> bool:
    try:
        check(*args)
    except DomainError:
        return False
    return True


def can_approve(who: Who, matter: Matter) -> bool:
    return (
        states.can(matter.state, "approve")
        and _safe(ensure_decider, who, matter, "approve")
        and _safe(ensure_decidable_alone, matter, who)
    )


def can_reject(who: Who, matter: Matter) -> bool:
    return can_approve(who, matter)  # same gate: a decision is a decision either way


def can_refer(who: Who, matter: Matter) -> bool:
    if not states.can(matter.state, "refer"):
        return False
    roles = Viewer.of(who).roles(matter.unit_id)
    if who.pk == matter.deputy_id and Role.DEPUTY in roles:  # a deputy whose term ended refers nothing
        return True
    # A meeting's organiser (any voting team member) may take up a matter the rules send to it anyway.
    return matter.requires_collective and bool(roles & {Role.PRINCIPAL, Role.DEPUTY})


def can_veto(who: Who, matter: Matter) -> bool:
    return states.can(matter.state, "veto") and is_principal(who, matter)


def can_cosign(who: Who, matter: Matter) -> bool:
    if matter.state != MatterState.AWAITING_COSIGN:
        return False
    row = next((c for c in matter.cosigns.all() if c.signer_id == who.pk and c.signed_at is None), None)
    if row is None:
        return False
    return _safe(ensure_not_principal_on_restricted, who, matter, "cosign") and _safe(
        ensure_signer_in_office, who, matter, row.role
    )


def can_execute(who: Who, matter: Matter) -> bool:
    return (
        states.can(matter.state, "execute")
        and who.pk in (matter.submitted_by_id, matter.deputy_id)
        and bool(Viewer.of(who).roles(matter.unit_id))
    )


def can_withdraw(who: Who, matter: Matter) -> bool:
    return states.can(matter.state, "withdraw") and who.pk == matter.submitted_by_id


def can_give_joint_opinion(who: Who, matter: Matter) -> bool:
    return (
        matter.requires_joint_review
        and (states.can(matter.state, "joint_opinion") or matter.state in states.AWAITING_COLLECTIVE)
        and Viewer.of(who).on_panel(matter)
        and not any(o.member_id == who.pk for o in matter.joint_opinions.all())
    )


def can_add_evidence(who: Who, matter: Matter) -> bool:
    return matter.state not in states.CLOSED and who.pk in (matter.submitted_by_id, matter.deputy_id)


def is_admin_of(person: Person, matter: Matter) -> bool:
    return is_commission_admin(person, matter.unit.district)


def actions_for(who: Who, matter: Matter) -> dict[str, bool]:
    """Every button of the matter page and the API's "actions", from the predicates above. Pass one
    Viewer for a whole list: the answers then cost a constant number of queries."""
    v = Viewer.of(who)
    approve = can_approve(v, matter)
    return {
        "approve": approve,
        "reject": approve,
        "refer": can_refer(v, matter),
        "veto": can_veto(v, matter),
        "cosign": can_cosign(v, matter),
        "execute": can_execute(v, matter),
        "withdraw": can_withdraw(v, matter),
        "joint_review": can_give_joint_opinion(v, matter),
        "evidence": can_add_evidence(v, matter),
    }


def joint_review_missing(matter: Matter) -> list[str]:
    """R-MAT-7: usernames of the panel members whose opinion is still missing ([] when the matter needs
    no joint review or every member has given one). No decision path — the deputy's, a referral, an
    agenda, a meeting's pass — goes ahead while this is non-empty (issue 9 hole 5)."""
    if not matter.requires_joint_review:
        return []
    panel = joint_panel(matter)
    given = set(matter.joint_opinions.values_list("member_id", flat=True))
    missing = [pk for pk in panel if pk not in given]
    return sorted(Person.objects.filter(pk__in=missing).values_list("username", flat=True))
