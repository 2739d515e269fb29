"""RF9 threshold hugging: a unit's amounts clustered just under a threshold (90–100%) beyond chance.

Source of the idea: the OCP red-flags guide (2016) "contract value just below a procurement threshold";
Prozorro's indicator of purchases priced just below the open-tender threshold; GTI's / opentender's
"bunching below thresholds" in EU procurement (Fazekas, Tóth & King on regulatory thresholds). Their
published definitions compare the mass just below a threshold with the mass expected there.

Test: for a threshold T (the collective-review threshold; the co-sign threshold too) and a year, take
the unit's spending amounts in the band [0.8·T, T): n of them, k in the upper half [b·T, T) with
b = `rf9_band` (0.9). Without hugging an amount of that band is no likelier to fall in its upper half
than in its lower half (amount densities fall as amounts grow, so ½ is generous to the unit). The
one-sided exact binomial test P(X ≥ k | n, ½) is the p-value; with n ≥ `rf9_min_n` and p < `rf9_alpha`
(0.01) the year fires, with k, n and p in the explanation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .common import MEDIUM, SPENDING_KINDS, Finding, MatterFact, Thresholds, yuan
from .stats import binomial_upper_tail

RULE = "RF9"


def thresholds_of(t: Thresholds) -> dict[str, Decimal]:
    return {"collective": t.collective_threshold, "cosign": t.cosign_threshold}


def find(matters: Iterable[MatterFact], t: Thresholds, *, years: set[int] | None = None) -> list[Finding]:
    """The RF9 findings of one unit, per (year, threshold); with `years`, only those years'."""
    per_year: dict[int, list[MatterFact]] = defaultdict(list)
    for m in matters:
        if m.kind in SPENDING_KINDS and m.amount and (years is None or m.submitted_at.year in years):
            per_year[m.submitted_at.year].append(m)
    band = Decimal(str(t.rf9_band))
    lower = 2 * band - 1  # the comparable band below: as wide as [band·T, T)
    findings = []
    for year, rows in sorted(per_year.items()):
        for name, threshold in thresholds_of(t).items():
            upper = [m for m in rows if band * threshold <= (m.amount or 0) < threshold]
            n = len(upper) + sum(1 for m in rows if lower * threshold <= (m.amount or 0) < band * threshold)
            k = len(upper)
            if n < t.rf9_min_n:
                continue
            p = binomial_upper_tail(k, n)
            if p >= t.rf9_alpha:
                continue
            first = sorted(upper, key=lambda m: m.order)[:RECORDS]
            findings.append(finding(rows[0].unit, year, name, threshold, n, k, p, first, t))
    return findings


RECORDS = 50


def finding(
    unit: str,
    year: int,
    name: str,
    threshold: Decimal,
    n: int,
    k: int,
    p: float,
    first: list[MatterFact],
    t: Thresholds,
) -> Finding:
    """The finding of (year, threshold `name`): k of n band amounts in the upper part, p-value p, `first`
    the upper part's first RECORDS matters (the columnar scan, `risk.columnar`, builds it with the same
    function)."""
    band = Decimal(str(t.rf9_band))
    lower = 2 * band - 1
    return Finding(
        rule=RULE,
        unit=unit,
        key=f"{year}:{name}",
        subject=f"unit:{unit}",
        level=MEDIUM,
        explanation=(
            f"{year} 年金额贴近起点：{yuan(lower * threshold)}–{yuan(threshold)} 区间的 {n} 个事项中，"
            f"{k} 个落在起点的 {band:.0%}–100%（{yuan(band * threshold)} 至 {yuan(threshold)} 以下），"
            f"偶然出现的概率为 {p:.2g}（单侧精确二项检验，原假设比例 1/2），低于 {t.rf9_alpha:g}。"
        ),
        records=tuple(m.record() for m in first),
    )
