"""The matter rules as a parameter set (R-MAT-3/4/7 "configurable per unit with district defaults").

Collective-review thresholds, 三重一大 kinds/powers/keywords, the co-sign threshold, kinds and signers, the
joint-review kinds and penalty amount, and a unit's legal officer. A field left None inherits, field by
field: a unit's from the district's default, the district's from the SPEC's (requirements.DEFAULTS). Set
through `zhiheng.parameters.set_values("matters", ...)` by the district's commission admins (403 R-MAT-3;
422 "validation" with every field error); each change is one "matter.rules_set" ledger entry whose
before/after name the legal officer by username. Matters already submitted keep the requirements frozen
at their submission (decision 0005).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import find_person
from zhiheng.core.errors import Invalid
from zhiheng.core.money import MoneyError, parse_yuan, yuan_str
from zhiheng.org.models import Role
from zhiheng.org.selectors import roles_of
from zhiheng.parameters import Context, ParameterSet, register

from . import requirements
from .models import MatterKind

NAMESPACE = "matters"
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
SEPARATORS = ("，", "、", "；", ";", "\n", "\r", "\t", " ", "\u3000")


def _stored(value: Any) -> Any:
    return (
        yuan_str(value) if isinstance(value, Decimal) else list(value) if isinstance(value, tuple) else value
    )


# The SPEC's defaults, in stored form (money as decimal strings); a district names no legal officer.
DEFAULTS = {f: _stored(getattr(requirements.DEFAULTS, f)) for f in FIELDS} | {"legal_officer": None}


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


def clean(values: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Shape and range of every field, in stored form; None/"" inherits. The scope's values are replaced
    by exactly these (a field left out inherits again)."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in MONEY_FIELDS:
        raw = values.get(f)
        out[f] = None
        if raw in (None, ""):
            continue
        try:
            amount = parse_yuan(raw)
        except MoneyError as exc:
            errors[f] = str(exc)
            continue
        if amount <= Decimal(0):
            errors[f] = "金额须大于零"
        out[f] = yuan_str(amount)
    for f in KIND_FIELDS:
        kinds = out[f] = _list(values[f]) if values.get(f) is not None else None
        bad = [k for k in kinds or [] if k not in MatterKind.values]
        if values.get(f) is not None and (kinds is None or bad):
            errors[f] = f"事项类型无效：{', '.join(bad) or values[f]}"
    if values.get("cosign_roles") is None:
        out["cosign_roles"] = None
    else:
        roles = out["cosign_roles"] = _list(values["cosign_roles"])
        if roles is None or any(r not in COSIGN_ROLES for r in roles):
            errors["cosign_roles"] = f"会签人只能是 {', '.join(COSIGN_ROLES)}"
        elif not roles:
            errors["cosign_roles"] = "会签人不能为空（不需会签请提高会签起点或清空事项类型）"
    _clean_major(values, context, out, errors)
    _clean_legal_officer(values.get("legal_officer"), context, out, errors)
    if errors:
        raise Invalid("validation", "事项规则填写有误", errors)
    return out


def _clean_major(
    values: Mapping[str, Any], context: Context, out: dict[str, Any], errors: dict[str, str]
) -> None:
    """三重一大 powers and keywords (issue 9 hole 1). A unit names powers of its own catalogue; a district
    names power codes its units share (e.g. every township's land-transfer power). An empty list is a
    choice ("none"), None inherits."""
    from zhiheng.powers.models import Power

    unit = context.unit
    raw = values.get("major_powers")
    codes = out["major_powers"] = None if raw is None else _list(raw)
    if raw is not None:
        known = set(Power.objects.filter(unit=unit).values_list("code", flat=True)) if unit else None
        bad = [c for c in codes or [] if (known is not None and c not in known) or len(c) > 48]
        if codes is None or bad:
            where = "本单位职权目录" if unit is not None else "职权代码格式"
            errors["major_powers"] = f"职权不符合{where}：{', '.join(bad) or raw}"
    raw = values.get("major_keywords")
    words = out["major_keywords"] = None if raw is None else _list(raw)
    if raw is None:
        return
    if words is None:
        errors["major_keywords"] = "关键词须为文字列表"
    elif len(words) > MAX_KEYWORDS:
        errors["major_keywords"] = f"关键词最多 {MAX_KEYWORDS} 个"
    elif any(len(w) > MAX_KEYWORD_LENGTH for w in words):
        errors["major_keywords"] = f"每个关键词不超过 {MAX_KEYWORD_LENGTH} 个字"


def _clean_legal_officer(legal: Any, context: Context, out: dict[str, Any], errors: dict[str, str]) -> None:
    """R-MAT-7: a unit names its legal officer, a person of the unit outside its leadership team."""
    if context.unit is None:
        if legal not in (None, ""):
            errors["legal_officer"] = "法制员按单位设置，区级默认规则不设法制员"
        return
    out["legal_officer"] = None
    if legal in (None, ""):
        return
    person = legal if isinstance(legal, Person) else find_person(str(legal))
    roles = roles_of(person, context.unit) if person is not None else set()
    if person is None or not roles:
        errors["legal_officer"] = "法制员须为本单位现任人员"
    elif roles & {Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR}:
        # R-MAT-7: the panel needs three distinct people besides the deputy and the inspector.
        errors["legal_officer"] = "法制员不能由领导班子成员或纪检组长兼任"
    else:
        out["legal_officer"] = person.pk


def snapshot(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ledger's before/after: the scope's own values, the legal officer by username ({} for none)."""
    snap = dict(values or {})
    if snap.get("legal_officer") is not None:
        snap["legal_officer"] = (
            Person.objects.filter(pk=snap["legal_officer"]).values_list("username", flat=True).first()
        )
    return snap


MATTER_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("事项规则"),
        rule="R-MAT-3",
        action="设置事项规则（会审起点、会签、执法会审）",
        event="matter.rules_set",
        subject="matter-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
        snapshot=snapshot,
    )
)
