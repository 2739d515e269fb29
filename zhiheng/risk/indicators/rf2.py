"""RF2 split purchase 拆分: several matters of one unit to one counterparty, or for one purpose, within
30 days, each under the collective-review threshold, together at or over it (R-MAT-3).

Source of the idea: the Open Contracting Partnership's "Red flags for integrity: giving the green light
to open data solutions" (2016) — flag "contract splitting: multiple contracts below the threshold with
the same supplier in a short period"; Prozorro's risk indicators (Ukraine, 2017–) "purchases of one item
split to stay below the procurement threshold" (same buyer, same CPV class, within a period); the
Government Transparency Institute / opentender.eu's "contract splitting" indicator. Published definitions,
restated here: not their code.

Definition (one finding per *crossing* matter, so that it is a function of what came before it):
a spending matter M under the threshold T fires when the other sub-threshold spending matters of the unit
submitted in the `rf2_window_days` up to M (inclusive) with the same counterparty (normalised name) —
or with a near-duplicate purpose (normalised titles whose difflib ratio ≥ `rf2_title_similarity`) — sum
to less than T without M and to T or more with it. Matters at or over T are already collectively reviewed
and take no part. Later matters of the same run do not fire again (the run already crossed), so one split
gives one warning; once the early parts leave the window a new run can cross again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from .common import (
    MEDIUM,
    SPENDING_KINDS,
    Finding,
    MatterFact,
    Thresholds,
    normalise_party,
    normalise_title,
    yuan,
)

RULE = "RF2"


class _Similar:
    """Whether two purposes are near-duplicates: difflib's ratio ≥ `ratio`, each pair judged once, with
    the cheap bounds first (lengths, then shared characters) — difflib is the expensive part of the scan."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self.known: dict[tuple[str, str], bool] = {}

    def __call__(self, a: str, b: str) -> bool:
        if a == b:
            return True
        pair = (a, b) if a < b else (b, a)
        found = self.known.get(pair)
        if found is None:  # judged in one order (difflib's ratio is not always symmetric)
            found = self.known[pair] = similar(*pair, self.ratio)
        return found


def similar(a: str, b: str, ratio: float) -> bool:
    """Whether `a` and `b` (a < b) are near-duplicates; the columnar scan judges its pairs with it too."""
    total = len(a) + len(b)
    if not total or 2 * min(len(a), len(b)) < ratio * total:  # difflib's real_quick_ratio bound
        return False
    common = sum(min(a.count(c), b.count(c)) for c in set(a) & set(b))  # its quick_ratio bound
    if 2 * common < ratio * total:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= ratio


def find(matters: Iterable[MatterFact], t: Thresholds, *, only: set[int] | None = None) -> list[Finding]:
    """The RF2 findings among `matters` (one unit's). With `only`, just the findings of those matters
    (the event path passes the window around the matters an entry touched)."""
    threshold = t.collective_threshold
    window = dt.timedelta(days=t.rf2_window_days)
    parts = sorted(
        (m for m in matters if m.kind in SPENDING_KINDS and m.amount is not None and m.amount < threshold),
        key=lambda m: m.order,
    )
    alike = _Similar(t.rf2_title_similarity)
    recent: deque[tuple[MatterFact, str, str]] = deque()
    # The window's sums per counterparty and per purpose; a purpose leaves the dict with its last matter,
    # so a new matter is compared with the purposes of the window only.
    by_party: dict[str, Decimal] = defaultdict(Decimal)
    by_purpose: dict[str, list[Any]] = {}
    findings: list[Finding] = []
    for m in parts:
        assert m.amount is not None
        while recent and recent[0][0].submitted_at < m.submitted_at - window:
            old, party, purpose = recent.popleft()
            by_party[party] -= old.amount or 0
            held = by_purpose[purpose]
            held[0] -= old.amount or 0
            held[1] -= 1
            if not held[1]:
                del by_purpose[purpose]
        party, purpose = normalise_party(m.counterparty), normalise_title(m.title)
        peers = [p for p in by_purpose if alike(purpose, p)] if purpose else []
        party_sum = by_party[party] if party else Decimal(0)
        purpose_sum = sum((by_purpose[p][0] for p in peers), Decimal(0))
        crossed = [
            basis
            for basis, before in (("counterparty", party_sum), ("purpose", purpose_sum))
            if 0 < before < threshold <= before + m.amount
        ]
        if crossed and (only is None or m.id in only):
            similar_purposes = set(peers)
            group = [
                x
                for x, p, q in recent
                if ("counterparty" in crossed and party and p == party)
                or ("purpose" in crossed and q in similar_purposes)
            ]
            findings.append(finding(m, crossed, group, threshold))
        recent.append((m, party, purpose))
        by_party[party] += m.amount
        held = by_purpose.setdefault(purpose, [Decimal(0), 0])
        held[0] += m.amount
        held[1] += 1
    return findings


def finding(m: MatterFact, crossed: list[str], group: list[MatterFact], threshold: Decimal) -> Finding:
    """The finding of the crossing matter `m`: `crossed` the bases ("counterparty", "purpose", in that
    order), `group` the earlier parts of the window on those bases, oldest first (the columnar scan,
    `risk.columnar`, builds it with the same function)."""
    total = sum((x.amount or Decimal(0) for x in group), m.amount or Decimal(0))
    basis = "、".join({"counterparty": "同一相对方", "purpose": "同一用途（标题相近）"}[b] for b in crossed)
    return Finding(
        rule=RULE,
        unit=m.unit,
        key=str(m.id),
        subject=f"matter:{m.id}",
        level=MEDIUM,
        explanation=(
            f"疑似拆分：{len(group) + 1} 个事项（{basis}）在 {(m.submitted_at - group[0].submitted_at).days + 1} 天内"
            f"提交，每个都低于集体会审起点 {yuan(threshold)}，合计 {yuan(total)}，达到或超过起点（R-MAT-3）。"
        ),
        records=tuple(x.record() for x in [*group, m]),
    )
