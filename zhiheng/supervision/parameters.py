"""The monthly report's rules as a parameter set "supervision" (R-SUP-1, decision 0011): a district default
and per-unit overrides, set by the district's commission admins (403 R-SUP-1; 422 "validation").

- `issue_day` (default 5): the day of the month from which the daily job issues the previous month's
  report ("by the 5th"); a unit may have it earlier, never later than the 28th.
- `ack_days` (default 10): the days after issue within which the team acknowledges; past them an
  unacknowledged report raises RF6.

A field left None inherits (unit → district → these defaults). Each change is one "supervision.rules_set"
ledger entry. A report keeps the due date computed when it was issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit
from zhiheng.parameters import Context, ParameterSet, effective, register

NAMESPACE = "supervision"
DEFAULTS: dict[str, Any] = {"issue_day": 5, "ack_days": 10}
LABELS = {"issue_day": _("每月生成日（上月报告）"), "ack_days": _("确认期限（生成后天数）")}
RANGES = {"issue_day": (1, 28), "ack_days": (1, 60)}


def in_force(unit: Unit) -> tuple[int, int]:
    """(issue_day, ack_days) in force for the unit today."""
    values = effective(NAMESPACE, unit).values
    return int(values["issue_day"]), int(values["ack_days"])


def clean(values: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Whole days within RANGES; None/"" inherits."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, (low, high) in RANGES.items():
        raw = values.get(name)
        out[name] = None
        if raw in (None, ""):
            continue
        try:
            number = int(str(raw))
        except ValueError:
            number = None
        if isinstance(raw, bool) or number is None or not low <= number <= high:
            errors[name] = f"须为 {low}–{high} 的整数"
            continue
        out[name] = number
    if errors:
        raise Invalid("validation", "月度汇报规则填写有误", errors)
    return out


SUPERVISION_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("月度汇报规则"),
        rule="R-SUP-1",
        action="设置月度财务明细的生成日和确认期限",
        event="supervision.rules_set",
        subject="supervision-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)
