"""RF10 Benford deviation of a unit's amounts over a year.

Source of the idea: Benford's law of first digits (Newcomb 1881, Benford 1938) as an audit screen —
Nigrini, "Benford's Law: Applications for Forensic Accounting, Auditing, and Fraud Detection" (2012):
the first-digit test with the mean absolute deviation (MAD) and its conformity ranges; GTI / opentender
use the same screen on contract values.

Test: the first digits of the unit's amounts (all matters with an amount ≥ ¥10) in a calendar year;
with at least `rf10_min_n` amounts (default 300 — below that the MAD is too noisy, Nigrini) the MAD
against Benford's shares is computed. Nigrini's first-digit cut-offs: 0.006 close conformity, 0.012
acceptable, 0.015 marginally acceptable; above 0.015 nonconformity — `rf10_mad`, the default, fires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .common import LOW, Finding, MatterFact, Thresholds
from .stats import BENFORD, benford_mad, first_digit

RULE = "RF10"
MIN_AMOUNT = 10


def find(matters: Iterable[MatterFact], t: Thresholds, *, years: set[int] | None = None) -> list[Finding]:
    per_year: dict[int, list[int]] = defaultdict(lambda: [0] * 9)
    unit = ""
    for m in matters:
        if (
            m.amount is not None
            and m.amount >= MIN_AMOUNT
            and (years is None or m.submitted_at.year in years)
        ):
            per_year[m.submitted_at.year][first_digit(float(m.amount)) - 1] += 1
            unit = m.unit
    findings = []
    for year, counts in sorted(per_year.items()):
        found = judge(unit, year, counts, t)
        if found is not None:
            findings.append(found)
    return findings


def judge(unit: str, year: int, counts: list[int], t: Thresholds) -> Finding | None:
    """The finding of one unit-year from its first-digit counts (digits 1–9), or None (the columnar scan,
    `risk.columnar`, counts in SQL and judges with the same function)."""
    n = sum(counts)
    if n < t.rf10_min_n:
        return None
    mad = benford_mad(counts)
    if mad <= t.rf10_mad:
        return None
    worst = max(range(9), key=lambda d: abs(counts[d] / n - BENFORD[d]))
    return Finding(
        rule=RULE,
        unit=unit,
        key=str(year),
        subject=f"unit:{unit}",
        level=LOW,
        explanation=(
            f"{year} 年 {n} 笔金额的首位数字偏离本福特分布：平均绝对偏差 {mad:.4f}，超过 {t.rf10_mad:g}"
            f"（尼格里尼标准：≤0.006 高度符合，≤0.012 可接受，≤0.015 勉强可接受）；"
            f"偏离最大的首位数字 {worst + 1}：实际 {counts[worst] / n:.1%}，应为 {BENFORD[worst]:.1%}。"
        ),
        records=tuple(
            {"digit": d + 1, "count": counts[d], "expected": round(BENFORD[d] * n, 1)} for d in range(9)
        ),
    )
