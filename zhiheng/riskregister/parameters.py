"""The risk register's configurable rules as a parameter set "riskregister" (R-GATE-6; decision 0011): the
grade thresholds of grading.py (the lowest score of grades A, B and C) and the review cycle (days from a
review to the next one due). District default with unit overrides, set by the district's commission admins
(403 R-GATE-6), each change one "riskregister.rules_set" ledger entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit
from zhiheng.parameters import Context, ParameterSet, effective, register, typed

from . import grading

NAMESPACE = "riskregister"
FIELDS: dict[str, tuple[Any, str, float, float]] = {
    "a_min": (_("A级风险最低分值"), "int", grading.SCORE_MIN, grading.SCORE_MAX),
    "b_min": (_("B级风险最低分值"), "int", grading.SCORE_MIN, grading.SCORE_MAX),
    "c_min": (_("C级风险最低分值"), "int", grading.SCORE_MIN, grading.SCORE_MAX),
    "review_days": (_("风险点复核周期（天）"), "int", 30, 1095),
}
DEFAULTS: dict[str, Any] = {
    "a_min": grading.DEFAULT.a_min,
    "b_min": grading.DEFAULT.b_min,
    "c_min": grading.DEFAULT.c_min,
    "review_days": 365,
}
LABELS = typed.labels_of(FIELDS)
_shape = typed.cleaner(FIELDS, "廉政风险防控规则填写有误")


def clean(changes: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Shape and range of each field, then the order of the thresholds as they would be in force: A ≥ B ≥ C
    (422 "validation")."""
    values = _shape(changes, context)
    merged = {key: context.current[key] if values.get(key) is None else values[key] for key in DEFAULTS}
    if not merged["c_min"] <= merged["b_min"] <= merged["a_min"]:
        raise Invalid("validation", "廉政风险防控规则填写有误", {"b_min": "须满足 A级 ≥ B级 ≥ C级 最低分值"})
    return values


RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("廉政风险防控规则"),
        rule="R-GATE-6",
        action="设置廉政风险防控规则",
        event="riskregister.rules_set",  # events.RULES_SET
        subject="riskregister-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)


def in_force(unit: Unit) -> dict[str, Any]:
    return dict(effective(NAMESPACE, unit).values)


def thresholds(values: Mapping[str, Any]) -> grading.Thresholds:
    return grading.Thresholds(
        a_min=int(values["a_min"]), b_min=int(values["b_min"]), c_min=int(values["c_min"])
    )
