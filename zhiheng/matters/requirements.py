"""What a matter requires at submission (R-MAT-3/4/5/7): a pure calculation over values, no ORM."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

MONEY_KINDS = frozenset({"expenditure", "purchase"})  # R-MAT-5: these cite a budget line
CONSTRUCTION_KINDS = frozenset({"construction_contract", "design_change"})
APPOINTMENT_KINDS = frozenset({"personnel_appointment"})

# Words in a matter's title or description that make it 三重一大 (R-MAT-3) by default: the seed's four
# heads — 重大决策, 重要人事任免, 重大项目安排, 大额资金运作 — as they are written in titles. Appointments
# and dismissals (任免 任命 免去 免职 提拔 晋升 聘任 调任 录用) and sanctions of cadres (处分) catch a personnel
# appointment filed as an "other personnel action"; 重大 / 改制 / 对外投资 / 担保 / 借款 / 融资 / 贷款 /
# 资产处置 / 捐赠 catch major decisions and large-sum operations whose amount field may be empty or
# small. Substring matching over-includes rather than misses (a spurious hit costs one agenda item; a
# miss lets one deputy decide what the team must). Each unit or district can replace the list.
DEFAULT_MAJOR_KEYWORDS: tuple[str, ...] = (
    "任免",
    "任命",
    "免去",
    "免职",
    "提拔",
    "晋升",
    "聘任",
    "调任",
    "录用",
    "处分",
    "重大",
    "改制",
    "对外投资",
    "担保",
    "借款",
    "融资",
    "贷款",
    "资产处置",
    "捐赠",
)


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
    major_kinds: tuple[str, ...] = ("personnel_appointment",)
    major_powers: tuple[str, ...] = ()
    major_keywords: tuple[str, ...] = DEFAULT_MAJOR_KEYWORDS
    legal_officer_id: int | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> MatterRulesValues:
        """From the stored parameter values (matters.parameters): money as decimal strings, lists, the
        legal officer's id; a missing or None field keeps the SPEC default."""
        out: dict[str, Any] = {}
        for f in fields(cls):
            value = values.get("legal_officer" if f.name == "legal_officer_id" else f.name)
            if value is None:
                continue
            if isinstance(value, list | tuple):
                value = tuple(value)
            elif isinstance(value, str):
                value = Decimal(value)
            out[f.name] = value
        return cls(**out)


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
    power: str = "",
    title: str = "",
    description: str = "",
) -> Requirements:
    """R-MAT-3: thresholds ("reaches" means >=), appointments, 三重一大 from the unit's rules (kinds, powers,
    keywords in the title or description) and the submitter's own `major` — which adds a reason and never
    removes one; R-MAT-5: no line or over the line's remaining; R-MAT-4: co-sign set; R-MAT-7: joint review
    for configured enforcement kinds. `notes` names the keywords found."""
    reasons: list[str] = []
    notes: list[str] = []
    money = amount if amount is not None else Decimal(0)
    if kind in MONEY_KINDS and money >= rules.collective_threshold:
        reasons.append("threshold")
    if kind in CONSTRUCTION_KINDS and money >= rules.construction_threshold:
        reasons.append("threshold")
    if kind in APPOINTMENT_KINDS:
        reasons.append("appointment")
    if kind in rules.major_kinds and kind not in APPOINTMENT_KINDS:  # appointments already say so
        reasons.append("major_kind")
    if power and power in rules.major_powers:
        reasons.append("major_power")
    text = f"{title}\n{description}"
    found = [word for word in rules.major_keywords if word and word in text]
    if found:
        reasons.append("keyword")
        notes.extend(f"keyword:{word}" for word in found)
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
        notes=notes,
    )


REASON_LABELS = {
    "threshold": "金额达到集体会审起点",
    "appointment": "干部任免",
    "major": "三重一大事项（提交人申报）",
    "major_kind": "三重一大事项类型",
    "major_power": "三重一大职权",
    "keyword": "标题或说明含三重一大关键词",
    "no_budget_line": "未列明预算指标",
    "over_budget_line": "超出预算指标余额",
    "self_interest": "分管副职本人为提交人或相对方",
    "joint_review_disagreed": "执法会审未一致同意",
    "referred": "分管副职提交集体会审",
}
