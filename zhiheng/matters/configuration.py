"""Setting the matter rules (R-MAT-3/4/7 "configurable per unit with district defaults").

The district's commission admins set the district default row and a unit's override row. A blank
(None) field inherits: a unit field inherits the district's, a district field the SPEC's default. Each
change is one ledger entry ("matter.rules_set", dated by the ledger) with the values before and after.
Matters already submitted keep the requirements frozen at their submission (decision 0005).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import find_person
from zhiheng.core.errors import Invalid
from zhiheng.core.money import MoneyError, parse_yuan, yuan_str
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Role, Unit
from zhiheng.org.selectors import roles_of

from .models import MatterKind, MatterRules

MONEY_FIELDS = ("collective_threshold", "construction_threshold", "cosign_threshold", "penalty_review_over")
KIND_FIELDS = ("cosign_kinds", "joint_review_kinds", "major_kinds")
COSIGN_ROLES = ("deputy", "finance_deputy", "inspector")
MAJOR_FIELDS = ("major_kinds", "major_powers", "major_keywords")
LIST_FIELDS = (*KIND_FIELDS, "cosign_roles", "major_powers", "major_keywords")
FIELDS = (*MONEY_FIELDS, "cosign_kinds", "joint_review_kinds", "cosign_roles", *MAJOR_FIELDS)
MAX_KEYWORDS, MAX_KEYWORD_LENGTH = 100, 20
LABELS = {
    "collective_threshold": _("支出/采购集体会审起点"),
    "construction_threshold": _("工程合同/设计变更集体会审起点"),
    "cosign_threshold": _("会签起点"),
    "cosign_kinds": _("须会签的事项类型"),
    "cosign_roles": _("会签人"),
    "penalty_review_over": _("处罚须执法会审的金额（超过）"),
    "joint_review_kinds": _("须执法会审的事项类型"),
    "major_kinds": _("三重一大事项类型（须集体会审；干部任免始终须集体会审）"),
    "major_powers": _("三重一大职权（其事项一律集体会审）"),
    "major_keywords": _("三重一大关键词（标题或说明含有即须集体会审）"),
    "legal_officer": _("法制员"),
}
ROLE_LABELS = {"deputy": _("分管副职"), "finance_deputy": _("分管财务副职"), "inspector": _("纪检组长")}


def can_configure(person: Person, district: District) -> bool:
    """Only the district's commission admins set its matter rules and its units' overrides."""
    return org_rules.is_commission_admin(person, district)


def _ensure_admin(by: Person, district: District) -> None:
    org_rules.ensure_commission_admin(
        by, district, rule="R-MAT-3", action="设置事项规则（会审起点、会签、执法会审）"
    )


SEPARATORS = ("，", "、", "；", ";", "\n", "\r", "\t", " ", "\u3000")


def _list(value: Any) -> list[str] | None:
    """A list of codes or words from a list, or from text separated by commas (also 、，； and blanks)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    items: list[str] = []
    for text in value:
        for sep in SEPARATORS:
            text = text.replace(sep, ",")
        items.extend(v.strip() for v in text.split(",") if v.strip())
    return list(dict.fromkeys(items))


def clean(values: dict[str, Any], *, unit: Unit | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Shape and range of every field; returns (clean values, field errors). None/"" means inherit."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in MONEY_FIELDS:
        raw = values.get(f)
        if raw in (None, ""):
            out[f] = None
            continue
        try:
            amount = parse_yuan(raw)
        except MoneyError as exc:
            errors[f] = str(exc)
            continue
        if amount <= Decimal(0):
            errors[f] = "金额须大于零"
        out[f] = amount
    for f in KIND_FIELDS:
        raw = values.get(f)
        if raw is None:
            out[f] = None
            continue
        kinds = _list(raw)
        bad = [k for k in kinds or [] if k not in MatterKind.values]
        if kinds is None or bad:
            errors[f] = f"事项类型无效：{', '.join(bad) or raw}"
        out[f] = kinds
    raw = values.get("cosign_roles")
    if raw is None:
        out["cosign_roles"] = None
    else:
        roles = _list(raw)
        bad = [r for r in roles or [] if r not in COSIGN_ROLES]
        if roles is None or bad:
            errors["cosign_roles"] = f"会签人只能是 {', '.join(COSIGN_ROLES)}"
        elif not roles:
            errors["cosign_roles"] = "会签人不能为空（不需会签请提高会签起点或清空事项类型）"
        out["cosign_roles"] = roles
    _clean_major(values, unit=unit, out=out, errors=errors)
    legal = values.get("legal_officer")
    if unit is None:
        if legal not in (None, ""):
            errors["legal_officer"] = "法制员按单位设置，区级默认规则不设法制员"
    elif legal in (None, ""):
        out["legal_officer"] = None
    else:
        person = legal if isinstance(legal, Person) else find_person(legal)
        roles = roles_of(person, unit) if person is not None else set()
        if not roles:
            errors["legal_officer"] = "法制员须为本单位现任人员"
        elif roles & {Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR}:
            # R-MAT-7: the panel needs three distinct people besides the deputy and the inspector.
            errors["legal_officer"] = "法制员不能由领导班子成员或纪检组长兼任"
        out["legal_officer"] = person
    return out, errors


def _clean_major(values: dict[str, Any], *, unit: Unit | None, out: dict, errors: dict) -> None:
    """三重一大 powers and keywords (issue 9 hole 1). A unit names powers of its own catalogue; a district
    names power codes its units share (e.g. every township's land-transfer power). An empty list is a
    choice ("none"), None inherits."""
    from zhiheng.powers.models import Power

    raw = values.get("major_powers")
    if raw is None:
        out["major_powers"] = None
    else:
        codes = _list(raw)
        known = set(Power.objects.filter(unit=unit).values_list("code", flat=True)) if unit else None
        bad = [c for c in codes or [] if (known is not None and c not in known) or len(c) > 48]
        if codes is None or bad:
            where = "本单位职权目录" if unit is not None else "职权代码格式"
            errors["major_powers"] = f"职权不符合{where}：{', '.join(bad) or raw}"
        out["major_powers"] = codes
    raw = values.get("major_keywords")
    if raw is None:
        out["major_keywords"] = None
    else:
        words = _list(raw)
        if words is None:
            errors["major_keywords"] = "关键词须为文字列表"
        elif len(words) > MAX_KEYWORDS:
            errors["major_keywords"] = f"关键词最多 {MAX_KEYWORDS} 个"
        elif any(len(w) > MAX_KEYWORD_LENGTH for w in words):
            errors["major_keywords"] = f"每个关键词不超过 {MAX_KEYWORD_LENGTH} 个字"
        out["major_keywords"] = words


def _snapshot(row: MatterRules | None) -> dict[str, Any]:
    if row is None:
        return {}
    snap: dict[str, Any] = {}
    for f in FIELDS:
        value = getattr(row, f)
        snap[f] = yuan_str(value) if isinstance(value, Decimal) else value
    if row.unit_id:
        snap["legal_officer"] = row.legal_officer.username if row.legal_officer_id else None
    return snap


@transaction.atomic
def set_rules(
    *, by: Person, values: dict[str, Any], district: District | None = None, unit: Unit | None = None
) -> MatterRules:
    """Replace the district's default row (district=…) or a unit's override row (unit=…) with `values`:
    every field given or None (inherit). Authorize → validate (422 with every field error) → write →
    ledger. A refusal writes nothing."""
    if (district is None) == (unit is None):
        raise ValueError("set_rules needs exactly one of district, unit")
    owner = unit.district if unit is not None else district
    _ensure_admin(by, owner)
    cleaned, errors = clean(values, unit=unit)
    if errors:
        raise Invalid("validation", "事项规则填写有误", errors)
    lookup = {"unit": unit} if unit is not None else {"district": district}
    row = MatterRules.objects.select_for_update().filter(**lookup).first()
    before = _snapshot(row)
    if row is None:
        row = MatterRules(**lookup)
    for f, value in cleaned.items():
        setattr(row, f, value)
    row.save()
    after = _snapshot(row)
    ledger.record(
        "matter.rules_set",
        by=by,
        unit=unit.code if unit is not None else "",
        district="" if unit is not None else owner.code,
        subject=rules_subject(district=district, unit=unit),
        payload={
            "scope": "unit" if unit is not None else "district",
            "district": owner.code,
            "before": before,
            "after": after,
            "changed": sorted(k for k in after if before.get(k) != after[k]),
        },
    )
    return row


def rules_subject(*, district: District | None = None, unit: Unit | None = None) -> str:
    return f"matter-rules:unit:{unit.code}" if unit is not None else f"matter-rules:district:{district.code}"
