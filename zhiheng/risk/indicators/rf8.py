"""RF8 budget: spending without a declared budget line, or a line exceeded (R-MAT-5).

Source of the idea: the OCP red-flags guide (2016) "contract awarded without budget allocation" and
"contract value above the budget"; the same checks in Prozorro's indicators ("expected value exceeded").

Definition: a spending matter (expenditure or purchase) whose money is committed (awaiting co-sign,
approved, executed) and that cites no budget line, in a year for which the unit declared lines, fires
once; a line whose committed matters sum to more
than its declared amount fires once per line. The engine's reservation and the database's check
constraint make the second impossible through the services; RF8 sees any path around them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal

from .common import HIGH, MEDIUM, SPENDING_KINDS, SPENT_STATES, Finding, MatterFact, yuan

RULE = "RF8"


def find(
    matters: Iterable[MatterFact],
    lines: Mapping[str, Decimal],
    *,
    only_lines: set[str] | None = None,
    budget_years: Collection[int | None] | None = None,
) -> list[Finding]:
    """`lines`: the unit's budget lines, code → declared amount. `budget_years`: the years the unit
    declared lines for (None in it: a line without a year, valid every year) — spending in a year without
    any declared line had nothing to cite and is not flagged as "without a line" (None: every year
    counts). With `only_lines`, the over-line findings of those lines only (the event path)."""
    spent = [m for m in matters if m.kind in SPENDING_KINDS and m.state in SPENT_STATES and m.amount]
    findings = [
        without_line(m)
        for m in spent
        if not m.budget_line
        and (budget_years is None or None in budget_years or m.submitted_at.year in budget_years)
    ]
    per_line: dict[str, list[MatterFact]] = defaultdict(list)
    for m in spent:
        if m.budget_line:
            per_line[m.budget_line].append(m)
    for code, rows in sorted(per_line.items()):
        if only_lines is not None and code not in only_lines:
            continue
        total = sum((m.amount or Decimal(0) for m in rows), Decimal(0))
        declared = lines.get(code)
        if declared is not None and total <= declared:
            continue
        first = sorted(rows, key=lambda m: m.order)[:RECORDS]
        findings.append(over_line(rows[0].unit, code, first, total, declared))
    return findings


RECORDS = 50

# The columnar scan (`risk.columnar`) selects in SQL and builds its findings with these two functions.


def without_line(m: MatterFact) -> Finding:
    return Finding(
        rule=RULE,
        unit=m.unit,
        key=f"matter:{m.id}",
        subject=f"matter:{m.id}",
        level=MEDIUM,
        explanation=f"无预算指标支出：事项“{m.title}”（{yuan(m.amount or Decimal(0))}）未列明预算指标（R-MAT-5）。",
        records=(m.record(),),
    )


def over_line(
    unit: str, code: str, first: list[MatterFact], total: Decimal, declared: Decimal | None
) -> Finding:
    """Line `code`'s committed matters (`first`: the first RECORDS, oldest first) sum to `total`, over
    `declared` (None: the line was never declared)."""
    what = f"超出预算指标 {yuan(declared)}" if declared is not None else "引用的预算指标未申报"
    return Finding(
        rule=RULE,
        unit=unit,
        key=f"line:{code}",
        subject=f"unit:{unit}",
        level=HIGH,
        explanation=f"预算指标 {code} 已支出 {yuan(total)}，{what}（R-MAT-5）。",
        records=tuple(m.record(budget_line=code) for m in first),
    )
