"""The submitter's side of a matter (R-MAT-1): submitting it — the deputy in charge frozen on it, the
rules that apply decided then — and withdrawing it before a decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Invalid
from zhiheng.core.money import MoneyError, parse_yuan, yuan_str
from zhiheng.org.models import Role, Unit
from zhiheng.org.selectors import memberships_on
from zhiheng.powers.models import Power
from zhiheng.powers.selectors import deputy_in_charge, is_restricted

from .. import rules, selectors, states
from ..errors import NobodyInCharge
from ..models import DEFAULT_KIND_BY_CATEGORY, BudgetLine, Cosign, Matter, MatterKind, allowed_kinds
from ..requirements import requirements
from ..states import MatterState
from .budget import drop_reservation
from .handover import locked
from .history import record


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return parse_yuan(value)
    except MoneyError as exc:
        # API.md: field errors under detail.fields
        raise Invalid("validation", str(exc), {"fields": {field: [str(exc)]}}) from exc


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
    rules.ensure_submit(by, unit)
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
        raise NobodyInCharge(
            "该职权在今日没有分管副职（分工方案未覆盖），不能提交",
            {"power": power.code, "date": day.isoformat()},
        )
    unit_rules = selectors.rules_for(unit)
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
    cosigners = selectors.cosigners_for(unit, deputy, need.cosign_roles)
    Cosign.objects.bulk_create([Cosign(matter=matter, signer=p, role=r) for p, r in cosigners])
    record(
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


@transaction.atomic
def withdraw(*, matter: Matter, by: Person, note: str = "") -> Matter:
    """R-MAT-1: the submitter withdraws before a decision; a held budget reservation is released."""
    matter = locked(matter)
    rules.ensure_withdraw(by, matter)
    matter.state = states.next_state(matter.state, "withdraw")
    drop_reservation(matter)
    matter.save(update_fields=["state", "reserved_amount", "updated_at"])
    record(matter, by=by, action="withdrawn", note=note)
    return matter
