"""The automatic checks of a declaration (R-GATE-2) and RF12, as pure functions over plain values.

A declaration's `items` is a JSON object keyed by the 14 items below (the 14 of the rules on leading cadres
reporting personal matters 领导干部报告个人有关事项规定: eight about the family, six about income and
assets). A list item declared empty ([]) says "none"; an item left out is not declared. Amounts are yuan,
given as numbers or strings; nothing the person wrote is refused: what is wrong is what the checks explain.

Each check that finds something adds its weight to the risk score (at most 100), which orders the
commission's verification queue, in the way the Ukrainian NAZK's logical and arithmetic control ranks
declarations by the weighted rules they trip. The weights are a parameter set (parameters.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# key → label; the order of the form.
ITEMS: dict[str, str] = {
    "marriage": "本人婚姻情况",
    "passports": "本人持有普通护照及因私出国情况",
    "hk_macao_taiwan": "本人持有往来港澳台通行证及因私往来情况",
    "children_foreign_marriage": "子女与外国人、无国籍人通婚情况",
    "children_hmt_marriage": "子女与港澳台居民通婚情况",
    "family_abroad": "配偶、子女移居国（境）外或在国（境）外连续工作生活一年以上情况",
    "family_employment": "配偶、子女及其配偶从业情况",
    "family_criminal": "配偶、子女及其配偶被追究刑事责任情况",
    "salary": "本人工资及各类奖金、津贴、补贴",
    "labour_income": "本人讲学、写作、咨询、审稿、书画等劳务所得",
    "real_estate": "本人、配偶、共同生活子女的房产",
    "investments": "本人、配偶、共同生活子女持有股票、基金、投资型保险等",
    "businesses": "配偶、子女及其配偶经商办企业情况",
    "overseas_assets": "本人、配偶、共同生活子女在国（境）外的存款和投资",
}
# The fields people write in an item's rows, for reading them back in Chinese.
FIELD_LABELS: dict[str, str] = {
    "owner": "所有人",
    "relation": "关系",
    "name": "名称",
    "address": "地址",
    "area": "面积（平方米）",
    "value": "价值（元）",
    "amount": "金额（元）",
    "kind": "类别",
    "credit_code": "统一社会信用代码",
    "role": "职务",
    "employer": "工作单位",
    "post": "职务",
    "country": "国家（地区）",
    "number": "证件号码",
    "status": "状况",
    "from": "起",
    "to": "止",
    "purpose": "事由",
    "offence": "罪名",
    "year": "年份",
    "source": "来源",
}
ASSET_ITEMS = ("real_estate", "investments", "overseas_assets")
SELF = {"", "self", "本人"}

CHECKS: dict[str, str] = {
    "completeness": "申报不完整",
    "arithmetic": "数额或代码有误",
    "asset_disappeared": "上年申报的资产或企业本年未申报",
    "income_jump": "收入较上年大幅增加",
    "RF12": "资产增长超过申报收入（RF12）",
    "counterparty": "亲属企业是本单位事项的相对方",
}
DEFAULT_WEIGHTS: dict[str, int] = {
    "completeness": 20,
    "arithmetic": 15,
    "asset_disappeared": 15,
    "income_jump": 10,
    "RF12": 30,
    "counterparty": 40,
}
INCOME_JUMP_FACTOR = Decimal("1.5")
INCOME_JUMP_MINIMUM = Decimal("50000")


@dataclass(frozen=True)
class Check:
    code: str
    message: str
    weight: int

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "weight": self.weight}


# --- reading what was written ---------------------------------------------------------------------------


def amount(raw: Any) -> Decimal | None:
    """Yuan as written (number or string, thousands separators allowed); None if it is not a number."""
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rows(items: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = items.get(key)
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [row for row in value if isinstance(row, Mapping)]
    return []


def _money(row: Mapping[str, Any], *names: str) -> Any:
    return next((row[name] for name in names if name in row), None)


def income(items: Mapping[str, Any]) -> Decimal:
    """Salary and labour income of the year (what cannot be read counts as nothing)."""
    total = Decimal(0)
    for key in ("salary", "labour_income"):
        value = items.get(key)
        if not isinstance(value, (Mapping, list)):
            total += amount(value) or 0
        for row in rows(items, key):
            total += amount(_money(row, "amount", "value")) or 0
    return total


def assets(items: Mapping[str, Any]) -> Decimal:
    return sum(
        (
            amount(_money(row, "value", "amount")) or Decimal(0)
            for key in ASSET_ITEMS
            for row in rows(items, key)
        ),
        Decimal(0),
    )


_SUFFIXES = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司|经营部|商行|厂)$")


def normalised_name(name: str) -> str:
    """A company's name without spaces, brackets and legal-form suffix, for matching what people type."""
    plain = re.sub(r"[\s()（）【】\[\]·.,，、]", "", name or "")
    while True:
        shorter = _SUFFIXES.sub("", plain)
        if shorter == plain:
            return plain
        plain = shorter


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015: 18 characters, the last a check character over the first 17 (mod 31)."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(c not in _CODE_CHARS for c in code):
        return False
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31] == code[17]


def _asset_keys(items: Mapping[str, Any]) -> dict[str, str]:
    """What identifies each real estate and business across years → how to name it."""
    keys: dict[str, str] = {}
    for row in rows(items, "real_estate"):
        address = re.sub(r"\s", "", str(row.get("address", "")))
        if address:
            keys[f"estate:{address}"] = f"房产“{row.get('address')}”"
    for row in rows(items, "businesses"):
        code = str(row.get("credit_code", "")).strip().upper()
        name = normalised_name(str(row.get("name", "")))
        key = f"business:{code or name}"
        if code or name:
            keys[key] = f"企业“{row.get('name') or code}”"
    return keys


def readable(value: Any) -> list[str]:
    """An item's value as lines a person reads: a row per line, its fields in Chinese; [] for "none"."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        return [str(value)]
    lines = []
    for row in value:
        if isinstance(row, Mapping):
            lines.append("；".join(f"{FIELD_LABELS.get(str(k), str(k))}：{v}" for k, v in row.items()))
        else:
            lines.append(str(row))
    return lines


# --- the checks -----------------------------------------------------------------------------------------


def run(
    items: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    counterparties: Iterable[str] = (),
    weights: Mapping[str, int] | None = None,
) -> list[Check]:
    """Every check that finds something in `items`, against last year's declaration (`previous`) and the
    names of the counterparties of the person's units' matters."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    found: list[tuple[str, str]] = []

    missing = [label for key, label in ITEMS.items() if key not in items]
    if missing:
        found.append(("completeness", f"未申报：{'、'.join(missing)}"))

    wrong = _arithmetic(items)
    if wrong:
        found.append(("arithmetic", "；".join(wrong)))

    if previous is not None:
        gone = [name for key, name in _asset_keys(previous).items() if key not in _asset_keys(items)]
        if gone:
            found.append(("asset_disappeared", f"上年申报、本年未见：{'、'.join(gone)}，请说明去向"))
        before, now = income(previous), income(items)
        if now - before >= INCOME_JUMP_MINIMUM and now > before * INCOME_JUMP_FACTOR:
            found.append(("income_jump", f"年收入由 {before:,.2f} 元增至 {now:,.2f} 元"))
        growth = assets(items) - assets(previous)
        if growth > income(items):
            found.append(("RF12", f"资产一年增加 {growth:,.2f} 元，超过本年申报收入 {income(items):,.2f} 元"))

    matches = _counterparty_matches(items, counterparties)
    if matches:
        found.append(("counterparty", "；".join(matches)))
    return [Check(code, message, int(weights[code])) for code, message in found]


def _arithmetic(items: Mapping[str, Any]) -> list[str]:
    wrong: list[str] = []
    for key in ("salary", "labour_income", *ASSET_ITEMS):
        value = items.get(key)
        raws = [value] if key in items and not isinstance(value, (Mapping, list)) else []
        raws += [_money(row, "amount", "value") for row in rows(items, key)]
        for raw in raws:
            number = amount(raw)
            if number is None or number < 0:
                wrong.append(f"{ITEMS[key]}的金额“{raw}”不是有效的非负数")
    for row in rows(items, "real_estate"):
        area = amount(row.get("area"))
        if "area" in row and (area is None or area <= 0):
            wrong.append(f"房产“{row.get('address', '')}”的面积“{row.get('area')}”无效")
    for row in rows(items, "businesses"):
        code = row.get("credit_code")
        if code and not credit_code_valid(str(code)):
            wrong.append(f"企业“{row.get('name', '')}”的统一社会信用代码“{code}”校验不通过")
    return wrong


def _counterparty_matches(items: Mapping[str, Any], counterparties: Iterable[str]) -> list[str]:
    """RF3's data: family businesses (not the person's own) whose name matches a counterparty."""
    names = {normalised_name(c): c for c in counterparties if normalised_name(c)}
    out: list[str] = []
    for row in rows(items, "businesses"):
        if str(row.get("owner", "")).strip() in SELF:
            continue
        match = names.get(normalised_name(str(row.get("name", ""))))
        if match:
            out.append(f"{row.get('owner')}经营的“{row.get('name')}”是本单位事项的相对方“{match}”")
    return out


def score(checks: Sequence[Check]) -> int:
    """The weighted risk score, 0–100."""
    return min(100, sum(check.weight for check in checks))


# Items whose rows name a relative (the person's own rows are skipped).
FAMILY_ITEMS = (
    "family_employment",
    "family_abroad",
    "family_criminal",
    "children_foreign_marriage",
    "children_hmt_marriage",
)


def declared_ties(items: Mapping[str, Any], name: str) -> list[str]:
    """RF3 at decision time: the declared family interests `name` touches — a business of a spouse or
    child whose name (normalised) or unified social credit code is `name`, or a relative called `name`.
    Each reason names the relative and what matched; [] when none."""
    wanted = normalised_name(name)
    code = (name or "").strip().upper()
    if not wanted:
        return []
    out: list[str] = []
    for row in rows(items, "businesses"):
        owner = str(row.get("owner", "")).strip()
        if owner in SELF:
            continue
        row_code = str(row.get("credit_code", "")).strip().upper()
        if normalised_name(str(row.get("name", ""))) == wanted or (row_code and row_code == code):
            out.append(f"申报的{owner}经营的“{row.get('name') or row_code}”")
    plain = re.sub(r"\s", "", name)
    for key in FAMILY_ITEMS:
        for row in rows(items, key):
            relation = str(row.get("relation") or row.get("owner") or "").strip()
            if relation in SELF:
                continue
            if re.sub(r"\s", "", str(row.get("name", ""))) == plain:
                out.append(f"申报的亲属（{relation or '家庭成员'}）“{row.get('name')}”")
    return out
