"""RF4 counterparty concentration: one counterparty takes more than 50% of a unit's procurement in 12
months.

Source of the idea: the OCP red-flags guide (2016) "supplier concentration: a high share of a buyer's
contracts awarded to one supplier"; opentender.eu / GTI's "buyer dependence on a single supplier" (the
supplier's share of the buyer's annual spending); Prozorro's monitoring of "one supplier wins most of a
buyer's tenders". Restated, not their code.

Definition: the 12 months are the unit's budget year (the calendar year in China), as those indicators
measure a buyer's annual spending; for each year, the procurement matters (kinds `procurement_kinds`,
default purchases) decided or awaiting decision (not withdrawn, not rejected) with an amount are summed by
counterparty; a counterparty whose sum is more than `rf4_share` of the year's total fires — only when the
year has at least `rf4_min_matters` such matters and `rf4_min_total` yuan (a unit with two purchases in a
year is not "concentrated"). One finding per (year, counterparty); the current year is judged on what it
has so far.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .common import MEDIUM, Finding, MatterFact, Thresholds, normalise_party, yuan

RULE = "RF4"
PROCUREMENT_KINDS = frozenset({"purchase"})
NOT_COUNTED = frozenset({"withdrawn", "rejected", "draft"})


def find(matters: Iterable[MatterFact], t: Thresholds, *, years: set[int] | None = None) -> list[Finding]:
    """The RF4 findings among one unit's matters; with `years`, only those years'."""
    per_year: dict[int, list[MatterFact]] = defaultdict(list)
    for m in matters:
        if m.kind in PROCUREMENT_KINDS and m.amount and m.state not in NOT_COUNTED:
            year = m.submitted_at.year
            if years is None or year in years:
                per_year[year].append(m)
    findings = []
    for year, rows in sorted(per_year.items()):
        total = sum((m.amount or Decimal(0) for m in rows), Decimal(0))
        if len(rows) < t.rf4_min_matters or total < t.rf4_min_total:
            continue
        by_party: dict[str, list[MatterFact]] = defaultdict(list)
        for m in rows:
            party = normalise_party(m.counterparty)
            if party:
                by_party[party].append(m)
        for party, mine in sorted(by_party.items()):
            amount = sum((m.amount or Decimal(0) for m in mine), Decimal(0))
            if amount / total > Decimal(str(t.rf4_share)):
                first = sorted(mine, key=lambda m: m.order)[:RECORDS]
                findings.append(finding(year, party, mine[0], first, len(mine), len(rows), amount, total, t))
    return findings


RECORDS = 50  # the triggering records a finding keeps (the first, oldest first)


def finding(
    year: int,
    party: str,
    shown: MatterFact,
    first: list[MatterFact],
    count: int,
    of: int,
    amount: Decimal,
    total: Decimal,
    t: Thresholds,
) -> Finding:
    """The finding of (year, party): `shown` the party's first matter (its name as written), `first` its
    first RECORDS matters, `count` of `of` procurement matters, `amount` of `total` (the columnar scan,
    `risk.columnar`, builds it with the same function)."""
    share = amount / total
    return Finding(
        rule=RULE,
        unit=shown.unit,
        key=f"{year}:{party}",
        subject=f"unit:{shown.unit}",
        level=MEDIUM,
        explanation=(
            f"{year} 年采购集中：相对方“{shown.counterparty}”占本单位当年采购金额的 "
            f"{share:.0%}（{count}/{of} 个事项，{yuan(amount)} / {yuan(total)}），"
            f"超过 {t.rf4_share:.0%}。"
        ),
        records=tuple(m.record() for m in first),
    )
