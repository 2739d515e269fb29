"""The separation-of-duties engine (R-MAT-1..7): every interface — API, pages, meetings, demo — calls
these. Shape of each: lock → authorize → check the transition → write → ledger → (after commit).

A refused action changes nothing and writes no ledger entry; the one exception is RF1: the principal's
attempt on a restricted matter is written as a warning in its own transaction before the refusal is
raised, so the trace survives the refusal (risk.rules.rf1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.core.money import MoneyError, parse_yuan, yuan_str
from zhiheng.org.models import Membership, Role, Unit
from zhiheng.org.selectors import current, memberships_on, roles_of
from zhiheng.powers.models import Power
from zhiheng.powers.selectors import deputy_in_charge, is_restricted

from . import budget, rules, states
from .models import (
    DEFAULT_KIND_BY_CATEGORY,
    BudgetLine,
    Cosign,
    JointOpinion,
    Matter,
    MatterEvent,
    MatterKind,
    allowed_kinds,
)
from .requirements import requirements
from .selectors import rules_for
from .states import MatterState

COLLECTIVE_OUTCOMES = {
    "passed": "collective_pass",
    "rejected": "collective_reject",
    "deferred": "collective_defer",
}


def _raises_rf1(func):
    """Turn the principal's refused attempt into an RF1 warning that persists (own transaction)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except rules.PrincipalAttempt as refusal:
            from zhiheng.risk.rules import rf1

            matter = Matter.objects.select_related("unit").get(pk=kwargs["matter"].pk)
            by = kwargs["by"]
            rf1.principal_attempted(
                unit=matter.unit,
                person=by,
                action=refusal.detail.get("action", func.__name__),
                subject=matter.subject,
                records=[
                    {
                        "matter": matter.pk,
                        "title": matter.title,
                        "by": by.username,
                        "at": clock.now().isoformat(),
                    }
                ],
            )
            raise

    return wrapper


def _record(
    matter: Matter,
    *,
    by: Person | None,
    action: str,
    note: str = "",
    payload: dict | None = None,
    event: str | None = None,
) -> None:
    entry = ledger.record(
        event or f"matter.{action}",
        by=by,
        unit=matter.unit.code,
        subject=matter.subject,
        payload={"state": str(matter.state), "note": note, **(payload or {})},
    )
    MatterEvent.objects.create(
        matter=matter,
        at=clock.now(),
        actor=by if isinstance(by, Person) else None,  # a MeetingDecider is no person (hole 9)
        action=action,
        state=matter.state,
        note=note,
        ledger_index=entry.index,
    )


def _locked(matter: Matter) -> Matter:
    """The matter, row-locked, handed over first if its deputy or a co-signer has left (hole 8)."""
    return _lock(matter)[0]


def _lock(matter: Matter) -> tuple[Matter, bool]:
    """(the locked matter, whether its deputy holds a current deputy term now) — after the hand-over."""
    matter = _for_update().get(pk=matter.pk)
    return matter, _hand_over(matter)[0]


def _for_update() -> QuerySet[Matter]:
    return _with_terms().select_for_update()


def _with_terms() -> QuerySet[Matter]:
    """Matters, each read with whether its deputy and its pending co-signers still hold their
    terms today (two EXISTS in the same SELECT: the common case costs no extra query)."""
    today = clock.today()

    def term(person: Any, unit: Any, roles: list[str]) -> Exists:
        return Exists(
            current(Membership.objects.filter(person_id=person, unit_id=unit, role__in=roles), today)
        )

    signer_left = (
        Cosign.objects.filter(matter_id=OuterRef("pk"), signed_at__isnull=True)
        .exclude(
            Q(role="inspector") & term(OuterRef("signer_id"), OuterRef(OuterRef("unit_id")), [Role.INSPECTOR])
        )
        .exclude(
            ~Q(role="inspector") & term(OuterRef("signer_id"), OuterRef(OuterRef("unit_id")), [Role.DEPUTY])
        )
    )
    return Matter.objects.select_related("unit", "power", "deputy").annotate(
        deputy_holds_term=term(OuterRef("deputy_id"), OuterRef("unit_id"), [Role.DEPUTY]),
        signer_left=Exists(signer_left),
    )


# ---------------------------------------------------------------- hand-over (issue 9 hole 8)

# The term a co-signer of each role must hold now.
SIGNER_TERM = {"deputy": Role.DEPUTY, "finance_deputy": Role.DEPUTY, "inspector": Role.INSPECTOR}


def _hand_over(matter: Matter) -> tuple[bool, bool]:
    """Issue 9 hole 8: nobody without a current term decides. When the deputy frozen on an open matter no
    longer holds a deputy term in the unit, the matter passes to whoever is in charge of its power today
    (R-DIV-6) and R-MAT-2's self-interest check is applied to them; a pending co-sign row of a signer whose
    term ended passes to whoever holds that role now. Each change is a matter event and a ledger entry.
    Returns (the deputy holds a current term now, something changed). No query when nobody has left."""
    if matter.state in states.CLOSED:
        return True, False
    if getattr(matter, "deputy_holds_term", False) and not getattr(matter, "signer_left", True):
        return True, False  # read with the lock (_for_update): nobody has left
    pending = list(matter.cosigns.filter(signed_at__isnull=True).select_related("signer"))
    held = set(
        current(
            Membership.objects.filter(
                unit_id=matter.unit_id,
                person_id__in={matter.deputy_id, *(c.signer_id for c in pending)},
                role__in=[Role.DEPUTY, Role.INSPECTOR],
            ),
            clock.today(),
        ).values_list("person_id", "role")
    )
    in_office = (matter.deputy_id, Role.DEPUTY) in held
    changed = False
    if not in_office:
        successor = deputy_in_charge(matter.unit, matter.power)
        if successor is not None:
            _hand_deputy_over(matter, successor)
            in_office = changed = True
    for row in pending:
        if (row.signer_id, SIGNER_TERM.get(row.role, Role.DEPUTY)) in held:
            continue
        if row.role == "deputy":
            successor = matter.deputy if in_office else None
        else:
            found = _cosigners(matter.unit, matter.deputy, (row.role,))
            successor = found[0][0] if found else None
        if successor is not None and successor.pk != row.signer_id:
            _hand_cosign_over(matter, row, successor)
            changed = True
    return in_office, changed


def _hand_deputy_over(matter: Matter, successor: Person) -> None:
    departed = matter.deputy
    matter.deputy = successor
    fields = ["deputy", "updated_at"]
    interested = successor.pk in (matter.submitted_by_id, matter.counterparty_person_id)
    if interested and matter.state in states.UNDECIDED and "self_interest" not in matter.collective_reasons:
        matter.requires_collective = True  # R-MAT-2: the new deputy cannot decide it either: the team does
        matter.collective_reasons = [*matter.collective_reasons, "self_interest"]
        fields += ["requires_collective", "collective_reasons"]
    matter.save(update_fields=fields)
    _record(
        matter,
        by=None,
        action="handed_over",
        note=f"原分管副职{departed.name}任期已结束，转由现分管副职{successor.name}办理",
        payload={"from": departed.username, "to": successor.username, "self_interest": interested},
        event="matter.handed_over",
    )


def _hand_cosign_over(matter: Matter, row: Cosign, successor: Person) -> None:
    departed = row.signer
    merged = matter.cosigns.filter(signer=successor).exists()
    if merged:
        row.delete()  # one signature per person (as at submission): the successor's own row covers it
    else:
        row.signer = successor
        row.save(update_fields=["signer"])
    _record(
        matter,
        by=None,
        action="cosigner_replaced",
        note=f"会签人{departed.name}任期已结束，转由{successor.name}会签",
        payload={"role": row.role, "from": departed.username, "to": successor.username, "merged": merged},
        event="matter.cosigner_replaced",
    )


def hand_over_matters_of_departed(*, unit: Unit | None = None) -> int:
    """Issue 9 hole 8, eagerly (the daily task and the end of a term): hand over every open matter whose
    deputy, or a pending co-signer, no longer holds a term in the unit. Each matter in its own
    transaction; idempotent. Returns how many matters changed."""
    qs = (
        _with_terms()
        .exclude(state__in=states.CLOSED)
        .filter(Q(deputy_holds_term=False) | Q(signer_left=True))
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    pks = list(qs.values_list("pk", flat=True))
    changed = 0
    for pk in sorted(pks):
        with transaction.atomic():
            changed += _hand_over(_for_update().get(pk=pk))[1]
    return changed


# ---------------------------------------------------------------- submission


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_yuan(value)
    except MoneyError as exc:
        raise Invalid("validation", str(exc), {field: str(exc)}) from exc


def _cosigners(unit: Unit, deputy: Person, roles_wanted: tuple[str, ...]) -> list[tuple[Person, str]]:
    people: dict[int, tuple[Person, str]] = {}
    for role in roles_wanted:
        person = None
        if role == "deputy":
            person = deputy
        elif role == "finance_deputy":
            finance = (
                Power.objects.filter(unit=unit, category__code="finance", is_active=True)
                .order_by("code")
                .first()
            )
            person = deputy_in_charge(unit, finance) if finance else None
        elif role == "inspector":
            m = memberships_on(unit).filter(role=Role.INSPECTOR).first()
            person = m.person if m else None
        if person is not None:
            people.setdefault(person.pk, (person, role))  # one signature per person
    return list(people.values())


@transaction.atomic
def submit(
    *,
    by: Person,
    unit: Unit,
    power: Power,
    title: str,
    kind: str = "",
    amount: Any = None,
    counterparty: str = "",
    counterparty_person: Person | None = None,
    budget_line: BudgetLine | None = None,
    major: bool = False,
    description: str = "",
) -> Matter:
    """R-MAT-1: any member of the unit submits; the deputy in charge on this date is frozen on the
    matter (R-MAT-2), or the submission is refused when nobody is in charge (R-DIV-4)."""
    if not roles_of(by, unit):
        raise Forbidden("R-MAT-1", "只有本单位人员可以提交事项", {"unit": unit.code})
    if power.unit_id != unit.pk:
        raise Invalid("validation", "该职权不属于本单位", {"power": power.code})
    title = (title or "").strip()
    if not title:
        raise Invalid("validation", "请填写事项标题", {"title": "required"})
    category = power.category.code
    allowed = allowed_kinds(category)
    kind = kind or DEFAULT_KIND_BY_CATEGORY.get(category, allowed[0])
    if kind not in allowed:  # the kind decides which rules apply: it follows from the power (hole 1)
        labels = dict(MatterKind.choices)
        raise Invalid(
            "R-MAT-1",
            f"“{power.category.name}”类职权的事项类型只能是：{'、'.join(str(labels[k]) for k in allowed)}",
            {"kind": kind, "category": category, "allowed": list(allowed)},
        )
    value = _money(amount, "amount")
    if budget_line is not None and budget_line.unit_id != unit.pk:
        raise Invalid("validation", "预算指标不属于本单位", {"budget_line": budget_line.code})
    day = clock.today()
    deputy = deputy_in_charge(unit, power, day)
    if deputy is None:
        raise Conflict(
            "R-DIV-4",
            "该职权在今日没有分管副职（分工方案未覆盖），不能提交",
            {"power": power.code, "date": day.isoformat()},
        )
    unit_rules = rules_for(unit)
    need = requirements(
        kind=kind,
        amount=value,
        major=major,
        has_line=budget_line is not None,
        line_remaining=budget_line.remaining if budget_line is not None else None,
        rules=unit_rules,
        power=power.code,
        title=title,
        description=description,
    )
    reasons = list(need.reasons)
    if deputy.pk in (by.pk, getattr(counterparty_person, "pk", None)):
        reasons.append("self_interest")  # the deputy cannot decide it (R-MAT-2): the team does
    if need.joint_review:
        legal = unit_rules.legal_officer_id
        inspector = memberships_on(unit).filter(role=Role.INSPECTOR).exists()
        if not legal or legal == deputy.pk or not inspector:
            raise Conflict(
                "R-MAT-7", "本单位未设置完整的执法会审小组（分管副职、法制员、纪检组长）", {"unit": unit.code}
            )
    matter = Matter.objects.create(
        unit=unit,
        power=power,
        kind=kind,
        title=title,
        description=description,
        amount=value,
        counterparty=counterparty.strip(),
        counterparty_person=counterparty_person,
        budget_line=budget_line,
        major=major,
        restricted=is_restricted(power, day),
        category=category,
        state=MatterState.SUBMITTED,
        submitted_by=by,
        submitted_at=clock.now(),
        deputy=deputy,
        requires_collective=bool(reasons),
        collective_reasons=reasons,
        requires_joint_review=need.joint_review,
    )
    cosigners = _cosigners(unit, deputy, need.cosign_roles)
    Cosign.objects.bulk_create([Cosign(matter=matter, signer=p, role=r) for p, r in cosigners])
    _record(
        matter,
        by=by,
        action="submitted",
        note=description[:200],
        payload={
            "power": power.code,
            "kind": kind,
            "title": title,
            "amount": yuan_str(value),
            "counterparty": matter.counterparty,
            "budget_line": budget_line.code if budget_line else None,
            "deputy": deputy.username,
            "collective": reasons,
            "notes": need.notes,
            "restricted": matter.restricted,
            "joint_review": need.joint_review,
            "cosign": [p.username for p, _ in cosigners],
        },
    )
    return matter


def requires_of(matter: Matter) -> dict[str, Any]:
    return {
        "collective": matter.requires_collective,
        "cosign": [c.signer.username for c in matter.cosigns.select_related("signer")],
        "joint_review": matter.requires_joint_review,
    }


# ---------------------------------------------------------------- decisions by the deputy


def _take_reservation(matter: Matter) -> None:
    if matter.budget_line_id and matter.amount:
        budget.reserve(line_id=matter.budget_line_id, amount=matter.amount)
        matter.reserved_amount = matter.amount


def _drop_reservation(matter: Matter) -> None:
    if matter.reserved_amount:
        budget.release(line_id=matter.budget_line_id, amount=matter.reserved_amount)
        matter.reserved_amount = None


def _cosign_pending(matter: Matter) -> bool:
    return matter.cosigns.filter(signed_at__isnull=True).exists()


@_raises_rf1
@transaction.atomic
def approve(*, matter: Matter, by: Person, comment: str = "") -> Matter:
    """R-MAT-2/3/5/7: the deputy in charge approves what they may decide alone; the budget is reserved."""
    matter, in_charge = _lock(matter)
    rules.ensure_decider(by, matter, "approve", in_charge=in_charge)
    target = states.next_state(matter.state, "approve", cosign_pending=_cosign_pending(matter))
    rules.ensure_decidable_alone(matter)
    _take_reservation(matter)
    matter.state, matter.decided_by, matter.decided_at = target, by, clock.now()
    matter.save(update_fields=["state", "decided_by", "decided_at", "reserved_amount", "updated_at"])
    _record(
        matter, by=by, action="approved", note=comment, payload={"reserved": yuan_str(matter.reserved_amount)}
    )
    return matter


@_raises_rf1
@transaction.atomic
def reject(*, matter: Matter, by: Person, comment: str) -> Matter:
    matter, in_charge = _lock(matter)
    rules.ensure_decider(by, matter, "reject", in_charge=in_charge)
    if not (comment or "").strip():
        raise Invalid("validation", "否定事项须写明理由", {"comment": "required"})
    target = states.next_state(matter.state, "reject")
    rules.ensure_decidable_alone(matter)
    matter.state, matter.decided_by, matter.decided_at = target, by, clock.now()
    matter.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    _record(matter, by=by, action="rejected", note=comment)
    return matter


@transaction.atomic
def refer_to_collective(*, matter: Matter, by: Person, reason: str = "") -> Matter:
    """submitted/joint_review → collective_review. Allowed for the deputy in charge, and for any voting
    team member (the meeting's organiser) when the rules already require collective review. An
    enforcement decision goes to the meeting only after its joint review (R-MAT-7 on every path)."""
    matter = _locked(matter)
    target = states.next_state(matter.state, "refer")
    if not rules.can_refer(by, matter):
        raise Forbidden("R-MAT-3", "只有分管副职可以将此事项提交集体会审", {"matter": matter.pk})
    missing = rules.joint_review_missing(matter)
    if missing:
        raise Conflict(
            "R-MAT-7",
            "该执法决定须先完成执法会审（至少三人小组均发表意见），方可提交集体会审",
            {"matter": matter.pk, "waiting_for": missing},
        )
    matter.state = target
    if "referred" not in matter.collective_reasons and not matter.requires_collective:
        matter.collective_reasons = [*matter.collective_reasons, "referred"]
    matter.requires_collective = True
    matter.save(update_fields=["state", "requires_collective", "collective_reasons", "updated_at"])
    _record(matter, by=by, action="referred", note=reason)
    return matter


@dataclass(frozen=True)
class MeetingDecider:
    """The actor the ledger names for a collective decision: the meeting item, never its chair (issue 9
    hole 9). `username` is what ledger.record reads for the entry's actor."""

    ref: str

    @property
    def username(self) -> str:
        return self.ref


OUTCOME_LABELS = {"passed": "通过", "rejected": "未通过", "deferred": "缓议"}


@transaction.atomic
def apply_collective_decision(
    *,
    matter: Matter,
    outcome: str,
    by: Person | None,
    meeting_ref: str,
    tally: dict[str, Any] | None = None,
) -> Matter:
    """The meeting's decision (R-MAT-3): passed → approved (budget reserved, then awaiting co-sign under
    R-MAT-4); rejected → rejected; deferred → stays in collective review.

    The decider is the meeting (`meeting_ref` with its tally); `by` is the chair who closed it and is
    recorded as chair, never as the decider: `decided_by` stays empty for a collective decision."""
    if outcome not in COLLECTIVE_OUTCOMES:
        raise Invalid("validation", "会议决定无效", {"outcome": outcome})
    matter = _locked(matter)
    if by is not None and not (roles_of(by, matter.unit) & {Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR}):
        raise Forbidden("R-MAT-3", "只有本单位领导班子的会议可以作出集体决定", {"matter": matter.pk})
    action = COLLECTIVE_OUTCOMES[outcome]
    target = states.next_state(matter.state, action, cosign_pending=_cosign_pending(matter))
    if action == "collective_pass":
        missing = rules.joint_review_missing(matter)
        if missing:
            raise Conflict(
                "R-MAT-7",
                "该执法决定尚未完成执法会审，会议决定不能生效",
                {"matter": matter.pk, "waiting_for": missing},
            )
    fields = ["state", "decision_ref", "updated_at"]
    if action == "collective_pass":
        _take_reservation(matter)
    if action in ("collective_pass", "collective_reject"):
        matter.decided_by, matter.decided_at = None, clock.now()
        fields += ["decided_by", "decided_at", "reserved_amount"]
    matter.state, matter.decision_ref = target, meeting_ref[:64]
    matter.save(update_fields=fields)
    counts = tally or {}
    _record(
        matter,
        by=MeetingDecider(meeting_ref),  # type: ignore[arg-type]
        action="collective",
        note=_collective_note(outcome, meeting_ref, counts),
        payload={
            "outcome": outcome,
            "meeting": meeting_ref,
            "decider": meeting_ref,
            "tally": counts,
            "chair": by.username if by is not None else None,
        },
        event="matter.collective_decision",
    )
    return matter


def _collective_note(outcome: str, meeting_ref: str, counts: dict[str, Any]) -> str:
    note = f"会议集体决定：{OUTCOME_LABELS.get(outcome, outcome)}（{meeting_ref}）"
    if counts:
        note += (
            f"，同意{counts.get('agree', 0)}、不同意{counts.get('disagree', 0)}、缓议{counts.get('defer', 0)}"
        )
    return note


@transaction.atomic
def record_collective_block(*, matter: Matter, meeting_ref: str, rule: str, message: str) -> Matter:
    """Issue 9 hole 4: a meeting passed the matter but a rule of the matter refuses the effect (the
    budget line is short, R-MAT-5; the joint review is incomplete, R-MAT-7; the matter moved on). The
    meeting still seals; the matter keeps its state, and the block is recorded on it and in the ledger."""
    matter = _locked(matter)
    _record(
        matter,
        by=MeetingDecider(meeting_ref),  # type: ignore[arg-type]
        action="collective_blocked",
        note=f"会议决定未能生效（{rule}）：{message}",
        payload={"meeting": meeting_ref, "rule": rule, "message": message},
        event="matter.collective_blocked",
    )
    return matter


# ---------------------------------------------------------------- co-sign, veto, execute, withdraw


@_raises_rf1
@transaction.atomic
def cosign(*, matter: Matter, by: Person, comment: str = "") -> Matter:
    """R-MAT-4: each required leader signs once; the last signature makes the matter approved."""
    matter = _locked(matter)
    rules.ensure_not_principal_on_restricted(by, matter, "cosign")
    row = matter.cosigns.filter(signer=by).first()
    if row is None:
        raise Forbidden("R-MAT-4", "您不在此事项的会签人之列", {"matter": matter.pk})
    rules.ensure_signer_in_office(by, matter, row.role)
    states.next_state(matter.state, "cosign")
    if row.signed_at is not None:
        raise Conflict("R-MAT-4", "您已会签此事项", {"matter": matter.pk})
    row.signed_at = clock.now()
    row.save(update_fields=["signed_at"])
    if not _cosign_pending(matter):
        matter.state = states.next_state(matter.state, "cosign_complete")
        matter.save(update_fields=["state", "updated_at"])
    _record(matter, by=by, action="cosigned", note=comment, payload={"role": row.role})
    return matter


@transaction.atomic
def veto(*, matter: Matter, by: Person, reason: str) -> Matter:
    """R-MAT-6: the principal stops a matter before execution, in writing; it then awaits collective
    review. A veto never approves; a held budget reservation is released."""
    matter = _locked(matter)
    if not rules.is_principal(by, matter):
        raise Forbidden("R-MAT-6", "只有一把手可以行使否决权", {"matter": matter.pk})
    if not (reason or "").strip():
        raise Invalid("R-MAT-6", "否决须写明理由", {"reason": "required"})
    target = states.next_state(matter.state, "veto")
    _drop_reservation(matter)
    matter.state = target
    matter.save(update_fields=["state", "reserved_amount", "updated_at"])
    _record(matter, by=by, action="vetoed", note=reason.strip())
    return matter


@transaction.atomic
def execute(*, matter: Matter, by: Person, note: str = "") -> Matter:
    matter = _locked(matter)
    if by.pk not in (matter.submitted_by_id, matter.deputy_id):
        raise Forbidden("R-MAT-1", "只有提交人或分管副职可以执行事项", {"matter": matter.pk})
    if not roles_of(by, matter.unit):
        raise Forbidden("R-MAT-2", "您在本单位的任期已结束，不能办理此事项", {"matter": matter.pk})
    if matter.state == MatterState.AWAITING_COSIGN:
        raise Conflict("R-MAT-4", "会签尚未完成，不能执行", {"matter": matter.pk})
    matter.state = states.next_state(matter.state, "execute")
    matter.executed_at = clock.now()
    matter.save(update_fields=["state", "executed_at", "updated_at"])
    _record(matter, by=by, action="executed", note=note)
    return matter


@transaction.atomic
def withdraw(*, matter: Matter, by: Person, note: str = "") -> Matter:
    matter = _locked(matter)
    if by.pk != matter.submitted_by_id:
        raise Forbidden("R-MAT-1", "只有提交人可以撤回事项", {"matter": matter.pk})
    matter.state = states.next_state(matter.state, "withdraw")
    _drop_reservation(matter)
    matter.save(update_fields=["state", "reserved_amount", "updated_at"])
    _record(matter, by=by, action="withdrawn", note=note)
    return matter


# ---------------------------------------------------------------- enforcement joint review


@_raises_rf1
@transaction.atomic
def joint_review(*, matter: Matter, by: Person, opinion: str, reason: str = "") -> Matter:
    """R-MAT-7: each panel member gives one opinion; a panel that does not unanimously agree sends the
    matter to collective review; a unanimous panel lets the deputy decide."""
    matter = _locked(matter)
    if opinion not in ("agree", "disagree"):
        raise Invalid("validation", "会审意见须为同意或不同意", {"opinion": opinion})
    if not matter.requires_joint_review:
        raise Conflict("R-MAT-7", "该事项不需要执法会审", {"matter": matter.pk})
    rules.ensure_not_principal_on_restricted(by, matter, "joint_review")
    panel = rules.joint_panel(matter)
    if by.pk not in panel:
        raise Forbidden("R-MAT-7", "您不是本事项执法会审小组成员", {"matter": matter.pk})
    # R-MAT-7 on every path: a vetoed or referred matter still collects its panel's opinions (in its
    # present state) before any meeting may decide it.
    awaiting_meeting = matter.state in states.AWAITING_COLLECTIVE
    target = matter.state if awaiting_meeting else states.next_state(matter.state, "joint_opinion")
    if matter.joint_opinions.filter(member=by).exists():
        raise Conflict("R-MAT-7", "您已发表会审意见", {"matter": matter.pk})
    if opinion == "disagree" and not reason.strip():
        raise Invalid("validation", "不同意须写明理由", {"reason": "required"})
    JointOpinion.objects.create(matter=matter, member=by, role=panel[by.pk], opinion=opinion, reason=reason)
    matter.state = target
    matter.save(update_fields=["state", "updated_at"])
    _record(
        matter, by=by, action="joint_opinion", note=reason, payload={"opinion": opinion, "role": panel[by.pk]}
    )
    given = dict(matter.joint_opinions.values_list("member_id", "opinion"))
    complete = all(pk in given for pk in panel)
    if complete and not awaiting_meeting and any(v != "agree" for v in given.values()):
        matter.state = states.next_state(matter.state, "refer")
        matter.requires_collective = True
        matter.collective_reasons = [*matter.collective_reasons, "joint_review_disagreed"]
        matter.save(update_fields=["state", "requires_collective", "collective_reasons", "updated_at"])
        _record(matter, by=None, action="referred", note="执法会审未一致同意，转集体会审")
    return matter
