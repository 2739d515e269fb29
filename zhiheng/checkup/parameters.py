"""The check-up's configurable rules as a parameter set "checkup" (decision 0011): the exam's pass mark
(R-GATE-1, default 60/100), how long a passed exam counts for an appointment, the online sitting's time
limit (90 minutes), and the weight of each declaration check in the risk score (R-GATE-2). District
default with unit overrides, set by the district's commission admins (403 R-GATE-2), each change one
"checkup.rules_set" ledger entry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.parameters import ParameterSet, register, typed

from .checks import CHECKS, DEFAULT_WEIGHTS

NAMESPACE = "checkup"
FIELDS: dict[str, tuple[Any, str, float, float]] = {
    "pass_mark": (_("廉政考试合格分（满分100）"), "int", 1, 100),
    "exam_valid_days": (_("考试合格有效期（天）"), "int", 1, 3650),
    "exam_minutes": (_("在线考试时长（分钟）"), "int", 10, 480),
    **{f"weight_{code}": (_("风险分权重：") + label, "int", 0, 100) for code, label in CHECKS.items()},
}
DEFAULTS: dict[str, Any] = {
    "pass_mark": 60,
    "exam_valid_days": 365,
    "exam_minutes": 90,
    **{f"weight_{code}": weight for code, weight in DEFAULT_WEIGHTS.items()},
}

CHECKUP_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("廉政体检规则"),
        rule="R-GATE-2",
        action="设置廉政体检规则",
        event="checkup.rules_set",  # events.RULES_SET
        subject="checkup-rules",
        labels=typed.labels_of(FIELDS),
        defaults=DEFAULTS,
        clean=typed.cleaner(FIELDS, "廉政体检规则填写有误"),
    )
)


def weights(values: dict[str, Any]) -> dict[str, int]:
    return {code: int(values[f"weight_{code}"]) for code in CHECKS}
