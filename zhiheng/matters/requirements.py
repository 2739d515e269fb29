"""What a matter requires at submission (R-MAT-3/4/5/7): a pure calculation over values, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

MONEY_KINDS = frozenset({"expenditure", "purchase"})  # R-MAT-5: these cite a budget line
CONSTRUCTION_KINDS = frozenset({"construction_contract", "design_change"})
APPOINTMENT_KINDS = frozenset({"personnel_appointment"})


@dataclass(frozen=True)
class MatterRulesValues:
    """A unit's resolved rules (selectors.rules_for); the defaults are the SPEC's."""

    collective_threshold: Decimal = Decimal("50000.00")
    construction_threshold: Decimal = Decimal("100000.00")
    cosign_threshold: Decimal = Decimal("200000.00")
    cosign_kinds: tuple[str, ...] = ("expenditure", "purchase")
    cosign_roles: tuple[str, ...] = ("deputy", "finance_deputy", "inspector")
    penalty_review_over: Decimal = Decimal("10000.00")
    joint_review_kinds: tuple[str, ...] = ("penalty", "licence_revocation")
    legal_officer_id: int | None = None


DEFAULTS = MatterRulesValues()


@dataclass(frozen=True)
class Requirements:
    collective: bool
    reasons: tuple[str, ...] = ()
    cosign_roles: tuple[str, ...] = ()
    joint_review: bool = False
    notes: list[str] = field(default_factory=list)


def requirements(
    *,
    kind: str,
    amount: Decimal | None,
    major: bool,
    has_line: bool,
    line_remaining: Decimal | None,
    rules: MatterRulesValues = DEFAULTS,
) -> Requirements:
    """R-MAT-3: thresholds ("reaches" means >=), appointments, 三重一大; R-MAT-5: no line or over the
    line's remaining; R-MAT-4: co-sign set; R-MAT-7: joint review for configured enforcement kinds."""
    reasons: list[str] = []
    money = amount if amount is not None else Decimal(0)
    if kind in MONEY_KINDS and money >= rules.collective_threshold:
        reasons.append("threshold")
    if kind in CONSTRUCTION_KINDS and money >= rules.construction_threshold:
        reasons.append("threshold")
    if kind in APPOINTMENT_KINDS:
        reasons.append("appointment")
    if major:
        reasons.append("major")
    if kind in MONEY_KINDS and not has_line:
        reasons.append("no_budget_line")
    if has_line and line_remaining is not None and money > line_remaining:
        reasons.append("over_budget_line")
    cosign: tuple[str, ...] = ()
    if kind in rules.cosign_kinds and money >= rules.cosign_threshold:
        cosign = tuple(rules.cosign_roles)
    joint = kind in rules.joint_review_kinds and (kind != "penalty" or money > rules.penalty_review_over)
    return Requirements(
        collective=bool(reasons),
        reasons=tuple(dict.fromkeys(reasons)),
        cosign_roles=cosign,
        joint_review=joint,
    )


REASON_LABELS = {
    "threshold": "金额达到集体会审起点",
    "appointment": "干部任免",
    "major": "三重一大事项",
    "no_budget_line": "未列明预算指标",
    "over_budget_line": "超出预算指标余额",
    "self_interest": "分管副职本人为提交人或相对方",
    "joint_review_disagreed": "执法会审未一致同意",
    "referred": "分管副职提交集体会审",
}
