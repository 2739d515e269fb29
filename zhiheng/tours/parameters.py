"""A district's tour method as a parameter set "tours" (R-GATE-5; decision 0011): the names of its steps,
of its ways of collecting information and of its follow-up measures — Yongchuan's "968" (9 steps, 6 ways,
8 measures) by default — and two numbers: how many days before its deadline a rectification counts as due
soon, and how far back a closure may be dated. Set by the district's commission admins (403 R-GATE-5), each
change one "tours.rules_set" ledger entry. A tour copies the method in force when it opens (Tour.method),
so a later change does not rename the steps of a tour under way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.org.models import District
from zhiheng.parameters import Context, ParameterSet, effective, register, typed

NAMESPACE = "tours"
LISTS = {
    "steps": _("巡察步骤"),
    "ways": _("了解情况方式"),
    "measures": _("跟进措施"),
}
NUMBERS: dict[str, tuple[Any, str, float, float]] = {
    "due_soon_days": (_("整改临期提醒（天）"), "int", 1, 90),
    "backdate_days": (_("销号日期最多可追溯（天）"), "int", 0, 30),
}
# The seed: "创新巡察“968”工作法，即按照9个步骤实施，采取6种方式收集情况，制定8项措施跟进巡察". It does not
# name them; these are the steps, ways and measures of the Party's inspection-tour regulations as districts
# word them.
DEFAULTS: dict[str, Any] = {
    "steps": [
        "巡察准备",
        "召开动员会",
        "了解情况",
        "深入核查",
        "形成巡察报告",
        "巡察反馈",
        "移交问题线索",
        "督促整改",
        "立卷归档",
    ],
    "ways": ["个别谈话", "受理来信来访", "问卷调查", "查阅资料", "实地走访", "列席会议"],
    "measures": [
        "反馈问题清单",
        "制定整改方案",
        "限期整改销号",
        "整改情况报告",
        "回访督查",
        "约谈提醒",
        "移送问题线索",
        "公开整改结果",
    ],
    "due_soon_days": 30,
    "backdate_days": 7,
}
LABELS: dict[str, Any] = {**LISTS, **typed.labels_of(NUMBERS)}
_numbers = typed.cleaner(NUMBERS, "巡察工作法填写有误")
MAX_ITEMS = 20


def _names(raw: Any) -> list[str] | None:
    """A list of names from a list, or from text with one name a line."""
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        return None
    return [v.strip() for v in raw if v.strip()]


def clean(changes: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Each list 1–20 distinct names of at most 40 characters; the numbers in range (422 "validation")."""
    values = _numbers(changes, context)
    errors: dict[str, str] = {}
    for key in LISTS:
        raw = changes.get(key)
        values[key] = None
        if raw in (None, ""):
            continue
        names = _names(raw)
        if names is None or not 1 <= len(names) <= MAX_ITEMS:
            errors[key] = f"须为 1–{MAX_ITEMS} 个名称"
        elif len(set(names)) != len(names) or any(len(n) > 40 for n in names):
            errors[key] = "名称不得重复，每个至多 40 个字"
        else:
            values[key] = names
    if errors:
        raise Invalid("validation", "巡察工作法填写有误", errors)
    return values


METHOD = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("巡察工作法"),
        rule="R-GATE-5",
        action="设置巡察工作法",
        event="tours.rules_set",  # events.RULES_SET
        subject="tour-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)


def in_force(district: District) -> dict[str, Any]:
    return dict(effective(NAMESPACE, district=district).values)


def method_of(district: District) -> dict[str, list[str]]:
    """The method a tour opened today copies: its steps, ways and measures."""
    values = in_force(district)
    return {key: list(values[key]) for key in LISTS}
