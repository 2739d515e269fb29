"""The red flags' thresholds as a parameter set "risk" (SPEC §10 "every threshold is configurable"; decision
0011): a district default with unit overrides, field by field, set by the district's commission admins
(403 R-GATE-7; 422 "validation" with every field error), each change one "risk.thresholds_set" ledger
entry. RF2 and RF9 also test the unit's matter thresholds (the "matters" set: collective and co-sign
thresholds), read from there, not copied.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.money import yuan_str
from zhiheng.parameters import ParameterSet, register, typed

from .indicators import Thresholds

NAMESPACE = "risk"
_SPEC = Thresholds()

# field → (label, kind, low, high): kind "int" | "float" | "money"; inclusive bounds.
FIELDS: dict[str, tuple[Any, str, float, float]] = {
    "rf2_window_days": (_("RF2 拆分：时间窗（天）"), "int", 1, 366),
    "rf2_title_similarity": (_("RF2 拆分：标题相似度（0–1）"), "float", 0.5, 1.0),
    "rf4_share": (_("RF4 集中度：单一相对方占比（0–1）"), "float", 0.1, 1.0),
    "rf4_min_matters": (_("RF4 集中度：年度最少事项数"), "int", 1, 100000),
    "rf4_min_total": (_("RF4 集中度：年度最低采购总额（元）"), "money", 0, 1e13),
    "rf6_grace_days": (_("RF6 逾期：报送宽限（天）"), "int", 0, 365),
    "rf7_factor": (_("RF7 签字瓶颈：中位数倍数"), "float", 1.0, 100.0),
    "rf7_min_samples": (_("RF7 签字瓶颈：最少样本"), "int", 1, 100000),
    "rf7_min_days": (_("RF7 签字瓶颈：最短等待（天）"), "float", 0.0, 365.0),
    "rf9_band": (_("RF9 贴近起点：区间下沿（起点的比例）"), "float", 0.5, 0.99),
    "rf9_alpha": (_("RF9 贴近起点：显著性水平"), "float", 1e-9, 0.2),
    "rf9_min_n": (_("RF9 贴近起点：最少样本"), "int", 2, 100000),
    "rf10_min_n": (_("RF10 本福特：最少样本"), "int", 30, 10000000),
    "rf10_mad": (_("RF10 本福特：平均绝对偏差上限"), "float", 0.001, 0.2),
    "escalate_after_days": (_("预警未处理转区纪委（天）"), "int", 1, 365),
}
ESCALATE_AFTER_DAYS = 14


def _default(name: str) -> Any:
    if name == "escalate_after_days":
        return ESCALATE_AFTER_DAYS
    value = getattr(_SPEC, name)
    return yuan_str(value) if isinstance(value, Decimal) else value


DEFAULTS = {name: _default(name) for name in FIELDS}


RISK_THRESHOLDS = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("预警阈值"),
        rule="R-GATE-7",
        action="设置预警阈值",
        event="risk.thresholds_set",
        subject="risk-thresholds",
        labels=typed.labels_of(FIELDS),
        defaults=DEFAULTS,
        clean=typed.cleaner(FIELDS, "预警阈值填写有误"),
    )
)


def thresholds(risk: Mapping[str, Any], matters: Mapping[str, Any]) -> Thresholds:
    """The values in force (stored form) of the "risk" and "matters" sets as the indicators' Thresholds."""
    kinds = {name: kind for name, (_label, kind, *_bounds) in FIELDS.items()}
    typed: dict[str, Any] = {}
    for name in FIELDS:
        if name == "escalate_after_days":
            continue
        value = risk.get(name, DEFAULTS[name])
        typed[name] = Decimal(value) if kinds[name] == "money" else value
    return Thresholds(
        collective_threshold=Decimal(matters["collective_threshold"]),
        cosign_threshold=Decimal(matters["cosign_threshold"]),
        **typed,
    )
