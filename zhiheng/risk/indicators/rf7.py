"""RF7 approval latency outlier, the "signature bottleneck": a matter waits for one signer more than
3× the unit's median wait.

Source of the idea: the seed's supplier who came twenty times for one signature; in the literature,
Prozorro's and opentender's indicators of abnormal procedure durations (a decision period far from the
buyer's usual one) and the OCP red-flags guide's "unusually long time between award and contract
signature". Restated, not their code.

Definition: a wait is one matter waiting for one signer — the deciding deputy from submission to decision,
or a co-signer from the decision to the signature (R-MAT-4); a wait still open is measured to `as_of`.
The unit's median is over its completed waits (all signers); when there are at least `rf7_min_samples` of
them, a wait longer than `rf7_factor` × median and at least `rf7_min_days` fires (the floor keeps a unit
whose median is two hours from flagging a one-day wait). One finding per (matter, signer, step).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .common import MEDIUM, Finding, Thresholds, WaitFact, median

RULE = "RF7"
DAY = 86400.0
STEPS = {"decide": "审批", "cosign": "会签"}


def unit_median_days(waits: Iterable[WaitFact]) -> tuple[float, int]:
    done = [(w.ended - w.started).total_seconds() / DAY for w in waits if w.ended is not None]
    return (median(done) if done else 0.0, len(done))


def find(
    waits: Iterable[WaitFact],
    t: Thresholds,
    *,
    as_of: dt.datetime,
    baseline: tuple[float, int] | None = None,
) -> list[Finding]:
    """The RF7 findings among one unit's waits. `baseline` (median days, sample size) is the unit's, when
    the caller judges a few waits against it (the event path); else it is computed from `waits`."""
    waits = list(waits)
    med, n = baseline if baseline is not None else unit_median_days(waits)
    if n < t.rf7_min_samples:
        return []
    limit = max(t.rf7_factor * med, t.rf7_min_days)
    findings = []
    for w in waits:
        days = ((w.ended or as_of) - w.started).total_seconds() / DAY
        if days > limit:
            findings.append(finding(w, days, med, n, t))
    return findings


def finding(w: WaitFact, days: float, med: float, n: int, t: Thresholds) -> Finding:
    """The finding of one wait of `days` against the unit's median `med` over `n` completed waits (also
    built by the columnar scan, `risk.columnar`)."""
    status = "仍在等待" if w.ended is None else "已签"
    return Finding(
        rule=RULE,
        unit=w.unit,
        key=f"{w.matter}:{w.step}:{w.signer}",
        subject=f"matter:{w.matter}",
        level=MEDIUM,
        explanation=(
            f"签字瓶颈：事项“{w.title}”等待 {w.signer_name or w.signer} {STEPS.get(w.step, w.step)} {days:.1f} 天"
            f"（{status}），超过本单位中位数 {med:.1f} 天的 {t.rf7_factor:g} 倍（样本 {n}）。"
        ),
        records=(
            {
                "matter": w.matter,
                "signer": w.signer,
                "step": w.step,
                "from": w.started.isoformat(),
                "to": w.ended.isoformat() if w.ended else None,
                "days": round(days, 1),
                "median_days": round(med, 2),
            },
        ),
    )
