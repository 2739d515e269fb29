"""Authorization of the matters engine (R-MAT-1..7): one pair of predicates per use case.

- `ensure_<verb>(by, matter)` refuses with the SPEC rule id and a Chinese message; the services call it
  on the row they have locked, and nothing else decides who may act.
- `can_<verb>(who, matter)` is the same question as a bool — `ensure_<verb>` run and its refusal caught —
  for the pages' buttons and the API's `actions`, so a button shows iff the service would accept.

Each predicate checks who acts and whether the matter's state allows the action; what a predicate cannot
know before the write (the budget line's balance, R-MAT-5; the comment a rejection needs) the service
checks after it. Every predicate takes `who`: a Person, or a Viewer (viewer.py) answering roles and the
joint-review panel from per-request caches, so a list renders its `actions` in a constant number of
queries. The Viewer holds data only and never imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, DomainError, Forbidden
from zhiheng.org.models import Role, Unit
from zhiheng.org.rules import ensure_commission_admin, is_commission_admin

from . import selectors, states
from .errors import (
    CollectiveOnly,
    CosignRefused,
    DeclaredInterest,
    JointReviewIncomplete,
    NobodyInCharge,
    NotAParty,
    NotInCharge,
    NotTheTeam,
)
from .errors import PrincipalAttempt as PrincipalAttempt  # the RF1 hook catches rules.PrincipalAttempt
from .models import Matter
from .states import MatterState
from .viewer import Viewer

Who = Person | Viewer
T = TypeVar("T")
TEAM = frozenset({Role.PRINCIPAL, Role.DEPUTY})


def _safe(check: Callable[[Who, T], None], who: Who, obj: T) -> bool:
    """can_<verb> from ensure_<verb>: True iff it does not refuse."""
    try:
        check(who, obj)
    except DomainError:
        return False
    return True


def _ensure_state(matter: Matter, action: str) -> None:
    """The matter's state allows the action (R-MAT-1's order; Conflict with the rule of the step)."""
    states.next_state(matter.state, action)


# ---------------------------------------------------------------- facts the predicates share


def is_principal(who: Who, matter: Matter) -> bool:
    return Viewer.of(who).is_principal(matter)


def is_interested(who: Who, matter: Matter) -> bool:
    """R-MAT-2: nobody decides a matter they submitted or in which they are the counterparty."""
    return who.pk in (matter.submitted_by_id, matter.counterparty_person_id)


def joint_review_agreed(matter: Matter, who: Who | None = None) -> bool:
    """R-MAT-7: a panel of at least three, every member of which agreed."""
    panel = Viewer.of(who).panel(matter) if who is not None else selectors.joint_panel(matter)
    given = {o.member_id: o.opinion for o in selectors.opinions_of(matter)}
    return len(panel) >= 3 and all(given.get(pk) == "agree" for pk in panel)


# ---------------------------------------------------------------- R-MAT-1 submission


def ensure_submit(by: Who, unit: Unit) -> None:
    """R-MAT-1: any member of the unit (a current term of any role) submits."""
    if not Viewer.of(by).roles(unit.pk):
        raise NotAParty("只有本单位人员可以提交事项", {"unit": unit.code})


def can_submit(who: Who, unit: Unit) -> bool:
    return _safe(ensure_submit, who, unit)


# ---------------------------------------------------------------- R-MAT-2/3/7 the deputy's decision


def ensure_not_principal_on_restricted(who: Who, matter: Matter, action: str) -> None:
    """R-MAT-2: the principal never approves, rejects or signs a restricted matter (the services turn
    this refusal into an RF1 warning)."""
    v = Viewer.of(who)
    if v.is_principal(matter) and v.is_restricted(matter):
        raise PrincipalAttempt(
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
        raise NotInCharge(
            "您在本单位没有现任副职任期（任期已结束或并非副职），不能审批此事项",
            {"matter": matter.pk, "action": action},
        )
    if not in_charge:
        raise NobodyInCharge(
            "原分管副职任期已结束，该职权目前没有分管副职，请先调整分工方案",
            {"matter": matter.pk, "power": matter.power.code},
        )
    if who.pk != matter.deputy_id:
        raise NotInCharge(
            "只有提交之日的分管副职可以审批此事项", {"matter": matter.pk, "deputy": matter.deputy.username}
        )
    if is_interested(who, matter):
        raise NotInCharge("不得审批本人提交或本人为相对方的事项", {"matter": matter.pk})


def ensure_no_declared_interest(who: Who, matter: Matter) -> None:
    """RF3 at the moment of decision (issue 16): the counterparty is a business or relative the decider
    declared (R-GATE-2, through matters.conflicts). Asked last, once the deputy could otherwise decide
    alone: a matter the team decides anyway answers R-MAT-3, and at the meeting they are recused."""
    ties = Viewer.of(who).declared_ties(matter)
    if ties:
        raise DeclaredInterest(
            f"该事项的相对方与您{'、'.join(ties)}相符，您须回避，不能单独审批；请提交领导班子集体决定（RF3、R-MTG-9）",
            {"matter": matter.pk, "counterparty": matter.counterparty},
        )


def ensure_decidable_alone(matter: Matter, who: Who | None = None) -> None:
    """R-MAT-3 and R-MAT-7: what the deputy may not decide alone (checked after the state)."""
    if matter.requires_collective:
        raise CollectiveOnly(
            "该事项须经领导班子集体会审决定，分管副职不能单独决定",
            {"matter": matter.pk, "reasons": matter.collective_reasons},
        )
    if matter.requires_joint_review and not joint_review_agreed(matter, who):
        raise JointReviewIncomplete("该执法决定须先经执法会审小组（至少三人）一致同意", {"matter": matter.pk})


def _ensure_decision(by: Who, matter: Matter, action: str, in_charge: bool) -> None:
    v = Viewer.of(by)
    ensure_decider(v, matter, action, in_charge=in_charge)
    _ensure_state(matter, action)
    ensure_decidable_alone(matter, v)
    ensure_no_declared_interest(v, matter)


def ensure_approve(by: Who, matter: Matter, *, in_charge: bool = True) -> None:
    """R-MAT-2/3/7: the deputy in charge approves what they may decide alone (R-MAT-5 is the budget's)."""
    _ensure_decision(by, matter, "approve", in_charge)


def ensure_reject(by: Who, matter: Matter, *, in_charge: bool = True) -> None:
    """The same gate as approving: a decision is a decision either way."""
    _ensure_decision(by, matter, "reject", in_charge)


def can_approve(who: Who, matter: Matter) -> bool:
    return _safe(ensure_approve, who, matter)


def can_reject(who: Who, matter: Matter) -> bool:
    return _safe(ensure_reject, who, matter)


# ---------------------------------------------------------------- R-MAT-3 referral and the meeting


def ensure_refer(by: Who, matter: Matter) -> None:
    """R-MAT-3: the deputy in charge (in office) sends a matter to collective review; any voting team
    member (a meeting's organiser) takes up one the rules send there anyway. R-MAT-7 on every path: an
    enforcement decision goes only after its joint review."""
    _ensure_state(matter, "refer")
    v = Viewer.of(by)
    roles = v.roles(matter.unit_id)
    deputy_in_office = by.pk == matter.deputy_id and Role.DEPUTY in roles
    organiser = matter.requires_collective and bool(roles & TEAM)
    if not (deputy_in_office or organiser):
        raise NotTheTeam("只有分管副职可以将此事项提交集体会审", {"matter": matter.pk})
    waiting = v.panel_waiting(matter)
    if waiting:
        raise JointReviewIncomplete(
            "该执法决定须先完成执法会审（至少三人小组均发表意见），方可提交集体会审",
            {"matter": matter.pk, "waiting_for": waiting},
        )


def can_refer(who: Who, matter: Matter) -> bool:
    return _safe(ensure_refer, who, matter)


def ensure_apply_collective_decision(by: Person | None, matter: Matter) -> None:
    """R-MAT-3: the chair closing the meeting is on the unit's leadership team (principal, deputy,
    inspector). `by=None` is the meeting machinery itself (a sealed meeting applied later)."""
    if by is None:
        return
    if not Viewer.of(by).roles(matter.unit_id) & {Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR}:
        raise NotTheTeam("只有本单位领导班子的会议可以作出集体决定", {"matter": matter.pk})


# ---------------------------------------------------------------- R-MAT-6 veto


def ensure_veto(by: Who, matter: Matter) -> None:
    """R-MAT-6: the principal stops a matter before it is executed."""
    if not is_principal(by, matter):
        raise Forbidden("R-MAT-6", "只有一把手可以行使否决权", {"matter": matter.pk})
    _ensure_state(matter, "veto")


def can_veto(who: Who, matter: Matter) -> bool:
    return _safe(ensure_veto, who, matter)


# ---------------------------------------------------------------- R-MAT-4 co-sign, then execution


def ensure_signer_in_office(who: Who, matter: Matter, role: str) -> None:
    """Issue 9 hole 8: a co-signer signs only while holding the term the role needs (deputy or inspector)."""
    needed = Role.INSPECTOR if role == "inspector" else Role.DEPUTY
    if needed not in Viewer.of(who).roles(matter.unit_id):
        raise NotInCharge("您在本单位的任期已结束，不能会签此事项", {"matter": matter.pk, "role": role})


def ensure_cosign(by: Who, matter: Matter) -> None:
    """R-MAT-4: each required leader, in office, signs once while the matter awaits co-signatures."""
    v = Viewer.of(by)
    ensure_not_principal_on_restricted(v, matter, "cosign")
    row = next((c for c in selectors.cosigns_of(matter) if c.signer_id == by.pk), None)
    if row is None:
        raise Forbidden("R-MAT-4", "您不在此事项的会签人之列", {"matter": matter.pk})
    ensure_signer_in_office(v, matter, row.role)
    _ensure_state(matter, "cosign")
    if row.signed_at is not None:
        raise CosignRefused("您已会签此事项", {"matter": matter.pk})


def can_cosign(who: Who, matter: Matter) -> bool:
    return _safe(ensure_cosign, who, matter)


def ensure_execute(by: Who, matter: Matter) -> None:
    """R-MAT-1/4: the submitter or the deputy, still on the unit, executes an approved matter whose
    co-signatures are complete."""
    if by.pk not in (matter.submitted_by_id, matter.deputy_id):
        raise NotAParty("只有提交人或分管副职可以执行事项", {"matter": matter.pk})
    if not Viewer.of(by).roles(matter.unit_id):
        raise NotInCharge("您在本单位的任期已结束，不能办理此事项", {"matter": matter.pk})
    if matter.state == MatterState.AWAITING_COSIGN:
        raise CosignRefused("会签尚未完成，不能执行", {"matter": matter.pk})
    _ensure_state(matter, "execute")


def can_execute(who: Who, matter: Matter) -> bool:
    return _safe(ensure_execute, who, matter)


# ---------------------------------------------------------------- R-MAT-1 withdrawal and evidence


def ensure_withdraw(by: Who, matter: Matter) -> None:
    """R-MAT-1: the submitter withdraws, before a decision."""
    if by.pk != matter.submitted_by_id:
        raise NotAParty("只有提交人可以撤回事项", {"matter": matter.pk})
    _ensure_state(matter, "withdraw")


def can_withdraw(who: Who, matter: Matter) -> bool:
    return _safe(ensure_withdraw, who, matter)


def ensure_add_evidence(by: Who, matter: Matter) -> None:
    """R-MAT-1: the submitter or the deputy adds evidence files until the matter is closed."""
    if matter.state in states.CLOSED or by.pk not in (matter.submitted_by_id, matter.deputy_id):
        raise NotAParty("只有提交人或分管副职可以在办结前上传佐证材料", {"matter": matter.pk})


def can_add_evidence(who: Who, matter: Matter) -> bool:
    return _safe(ensure_add_evidence, who, matter)


# ---------------------------------------------------------------- R-MAT-7 the joint-review panel


def ensure_joint_review(by: Who, matter: Matter) -> None:
    """R-MAT-7: each panel member gives one opinion, before the decision — or, on a vetoed or referred
    matter, before the meeting decides it."""
    if not matter.requires_joint_review:
        raise Conflict("R-MAT-7", "该事项不需要执法会审", {"matter": matter.pk})
    v = Viewer.of(by)
    ensure_not_principal_on_restricted(v, matter, "joint_review")
    if not v.on_panel(matter):
        raise Forbidden("R-MAT-7", "您不是本事项执法会审小组成员", {"matter": matter.pk})
    if matter.state not in states.AWAITING_COLLECTIVE:
        _ensure_state(matter, "joint_opinion")
    if any(o.member_id == by.pk for o in selectors.opinions_of(matter)):
        raise Conflict("R-MAT-7", "您已发表会审意见", {"matter": matter.pk})


def can_give_joint_opinion(who: Who, matter: Matter) -> bool:
    return _safe(ensure_joint_review, who, matter)


# ---------------------------------------------------------------- R-MAT-5 budget lines


def ensure_set_budget_line(by: Person | None, unit: Unit) -> None:
    """R-MAT-5: the district's commission admins declare budget lines (`by=None`: the system)."""
    ensure_commission_admin(by, unit.district, rule="R-MAT-5", action="登记预算指标")


def can_set_budget_line(who: Person, unit: Unit) -> bool:
    return is_commission_admin(who, unit.district)


# ---------------------------------------------------------------- every button at once


def actions_for(who: Who, matter: Matter) -> dict[str, bool]:
    """Every button of the matter page and the API's "actions", from the predicates above. Pass one
    Viewer for a whole list: the answers then cost a constant number of queries."""
    v = Viewer.of(who)
    return {
        "approve": can_approve(v, matter),
        "reject": can_reject(v, matter),
        "refer": can_refer(v, matter),
        "veto": can_veto(v, matter),
        "cosign": can_cosign(v, matter),
        "execute": can_execute(v, matter),
        "withdraw": can_withdraw(v, matter),
        "joint_review": can_give_joint_opinion(v, matter),
        "evidence": can_add_evidence(v, matter),
    }
