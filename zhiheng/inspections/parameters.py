"""The inspection rules as a parameter set (R-SUP-2; decision 0011): how long a check's read grant lasts
by default and at most, and how many records the sample proposes. A district default with unit overrides,
set by the district's commission admins; each change is a dated version and one ledger entry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit
from zhiheng.parameters import Context, ParameterSet, effective, register

NAMESPACE = "inspections"
DEFAULTS: dict[str, Any] = {"grant_days": 30, "max_grant_days": 90, "sample_size": 12}
LABELS = {
    "grant_days": _("检查授权天数（默认）"),
    "max_grant_days": _("检查授权天数（上限）"),
    "sample_size": _("抽样数量"),
}
LIMITS = {"grant_days": (1, 365), "max_grant_days": (1, 365), "sample_size": (1, 100)}


def in_force(unit: Unit) -> dict[str, Any]:
    return dict(effective(NAMESPACE, unit).values)


def clean(changes: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Merge the changes over the values in force at the scope; whole days within the limits, and the
    default no longer than the maximum (422 R-SUP-2)."""
    values = {key: context.current[key] if changes.get(key) is None else changes[key] for key in DEFAULTS}
    fields: dict[str, list[str]] = {}
    for key, (low, high) in LIMITS.items():
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            fields[key] = [f"须为 {low}–{high} 的整数"]
    if not fields and values["grant_days"] > values["max_grant_days"]:
        fields["grant_days"] = ["默认授权天数不得超过上限"]
    if fields:
        raise Invalid("R-SUP-2", "督察检查规则无效", {"fields": fields})
    return values


INSPECTION_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("督察检查规则"),
        rule="R-SUP-2",
        action="设定督察检查规则",
        event="inspection.rules_set",
        subject="inspection-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)
