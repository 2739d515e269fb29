"""RF2, RF4–RF11 fired two ways that agree (issue 15): a full scan over all history (`scan`, nightly and
`zhiheng risk scan`) and, on each committed ledger entry, the indicators over the records the entry
touched (`on_entry`). The scan judges the rules over the whole matters table — RF2, RF4, RF5 outside a
meeting, RF7, RF8, RF9, RF10 — set-based in embedded DuckDB over a copy of the database (`risk.columnar`,
`export.mirror`, a DuckDB file synced with the day's changes; decision 0023), building each finding with the indicator's own function, and the rest
(RF5 quorum, RF6, RF11: small tables) per unit; `scan_findings(engine="python")` is the per-unit
reference both are tested against. Both turn `indicators.Finding`s into warnings through `raise_findings`, keyed by
`Finding.source` ("scan:<rule>:<unit>:<key>"), so the same finding is one warning whichever path — or
both, or a replay — saw it first.

What an entry touches:

| entry | indicators |
|---|---|
| matter.submitted | RF2 (the window around the matter), RF7 (its wait so far) |
| matter decided, co-signed, executed, withdrawn | RF7 (the matter's waits), RF8 (the matter and its line), RF5 (decided outside a meeting) |
| meeting.sealed | RF5 (the meeting's items decided without quorum) |
| powers.plan_filed, powers.deadline_set | RF6 (the unit's, or the district's, filing rounds), RF11 (the unit's plans) |
| powers.incompatible_pair_added | RF11 (every unit of the district) |

RF7's baseline (the unit's median) is read only when the matter's own wait already passes the floor.
The scan alone judges SCAN_ONLY: the annual aggregates RF4, RF9 and RF10 (no single entry shows them;
a year per entry would not be O(records touched)) and a sealed record that fails verification (RF5: a
change made around the system has no entry). On everything else the two paths agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from zhiheng.core import clock
from zhiheng.ledger.dispatch import Recorded
from zhiheng.meetings.minutes import sealed_meeting_problems
from zhiheng.meetings.models import Meeting
from zhiheng.org.models import District, Unit

from .. import columnar, services
from ..indicators import Finding, MatterFact, MeetingSealFact, rf2, rf4, rf5, rf6, rf7, rf8, rf9, rf10, rf11
from ..models import Warning
from . import export, facts

TITLES = {
    "RF2": "拆分采购",
    "RF4": "相对方集中",
    "RF5": "会议程序异常",
    "RF6": "职责逾期",
    "RF7": "签字瓶颈（审批时长异常）",
    "RF8": "预算异常",
    "RF9": "金额贴近起点",
    "RF10": "金额偏离本福特分布",
    "RF11": "一人分管不相容职权",
}

MATTER_DECIDED = (
    "matter.approved",
    "matter.rejected",
    "matter.collective_decision",
    "matter.cosigned",
    "matter.executed",
    "matter.withdrawn",
    "matter.vetoed",
)

# What only the scan judges: the annual aggregates (a unit's year of procurement, of amounts near a
# threshold, of first digits) — no single entry shows them, and judging a whole year on every submission
# would make the event path O(year), not O(records touched) — and sealed minutes edited around the system.
SCAN_ONLY = ("RF4", "RF9", "RF10", "RF5:sealed")


# --- The scan ----------------------------------------------------------------------------------------


def unit_findings(unit: Unit, *, as_of: dt.datetime) -> list[Finding]:
    """Every indicator over all of one unit's history."""
    t = facts.thresholds_of(unit)
    day = clock.local_date(as_of)
    matters = facts.matters(unit)
    found = [
        *rf2.find(matters, t),
        *rf4.find(matters, t),
        *rf9.find(matters, t),
        *rf10.find(matters, t),
        *rf5.outside_meeting(matters, facts.sealed_decisions(unit)),
        *rf5.without_quorum(facts.sealed_items(unit)),
        *rf7.find(facts.waits(unit), t, as_of=as_of),
        *rf8.find(matters, facts.budget_lines(unit), budget_years=facts.budget_years(unit)),
        *_rf6(unit, day, t),
        *rf11.find(facts.plans(unit, day), facts.pairs(unit.district, day)),
    ]
    return found


def _rf6(unit: Unit, day: dt.date, t: Any) -> list[Finding]:
    return [
        finding
        for deadline, filed_on in facts.filing_rounds(unit, day)
        for finding in rf6.plan_not_filed(
            unit.code,
            deadline_id=deadline.pk,
            label=deadline.label,
            due=deadline.due,
            filed_on=filed_on,
            as_of=day,
            t=t,
        )
    ]


_REF = re.compile(r"^meeting:(\d+)")


def seal_findings() -> list[Finding]:
    """RF5's third case: sealed meetings whose minutes no longer verify (meetings.minutes, R-MTG-7)."""
    problems: dict[int, list[str]] = {}
    for problem in sealed_meeting_problems():
        match = _REF.match(problem)
        if match:
            problems.setdefault(int(match.group(1)), []).append(problem)
    meetings = Meeting.objects.filter(pk__in=problems).select_related("unit")
    return rf5.failed_verification(
        MeetingSealFact(m.pk, m.unit.code, str(m), tuple(problems[m.pk])) for m in meetings
    )


def other_findings(unit: Unit, *, as_of: dt.datetime) -> list[Finding]:
    """What the columnar engine does not judge: a unit's sealed items (RF5 quorum), filing rounds (RF6)
    and plans (RF11) — small tables, read per unit."""
    t = facts.thresholds_of(unit)
    day = clock.local_date(as_of)
    return [
        *rf5.without_quorum(facts.sealed_items(unit)),
        *_rf6(unit, day, t),
        *rf11.find(facts.plans(unit, day), facts.pairs(unit.district, day)),
    ]


def columnar_findings(
    units: list[Unit], *, as_of: dt.datetime, known: Iterable[str] = (), rebuild: bool = False
) -> list[Finding]:
    """RF2, RF4, RF5 (outside a meeting), RF7, RF8, RF9, RF10 over the units' matters in embedded DuckDB
    (`risk.columnar`) on the mirror, synced first (`export.mirror`); the findings whose source is not in
    `known`."""
    with export.mirror(rebuild=rebuild) as (con, _synced):
        scan = columnar.Columnar(
            con, as_of=export.local(as_of) or as_of, thresholds=export.thresholds(units), tz=clock.SHANGHAI
        )
        scan.select()
        scan.keep({u.code for u in units})
        return scan.findings(known=known)


def scan_findings(
    *,
    as_of: dt.datetime | None = None,
    units: Iterable[Unit] | None = None,
    engine: str = "columnar",
    known: Iterable[str] = (),
    rebuild: bool = False,
) -> list[Finding]:
    """Every finding over all history (those whose source is in `known` may be left out): the set-based
    rules by the columnar engine (decision 0023) — or, with `engine="python"`, every indicator per unit
    (the reference the tests hold it to) — and the rest per unit."""
    as_of = as_of or clock.now()
    chosen = list(
        units if units is not None else Unit.objects.filter(is_active=True).select_related("district")
    )
    if engine == "python":
        found = [f for unit in chosen for f in unit_findings(unit, as_of=as_of)]
    else:
        found = columnar_findings(chosen, as_of=as_of, known=known, rebuild=rebuild)
        found += [f for unit in chosen for f in other_findings(unit, as_of=as_of)]
    return found + (seal_findings() if units is None else [])


def scan(*, as_of: dt.datetime | None = None, engine: str = "columnar", rebuild: bool = False) -> int:
    """The nightly scan (tasks.run_scans, `zhiheng risk scan`): the warnings it raised that were new. The
    columnar engine builds only the findings no warning has raised yet (by source); `rebuild` copies the
    mirror afresh (`zhiheng risk scan --rebuild-mirror`)."""
    known = Warning.objects.filter(source__startswith="scan:").values_list("source", flat=True)
    return raise_findings(scan_findings(as_of=as_of, engine=engine, known=list(known), rebuild=rebuild))


# --- The event path ----------------------------------------------------------------------------------


def _subject_id(entry: Recorded, kind: str) -> int | None:
    head, _, pk = entry.subject.partition(":")
    pk = pk.split("/")[0]
    return int(pk) if head == kind and pk.isdigit() else None


def _the_matter(entry: Recorded) -> tuple[Unit, MatterFact] | None:
    pk = _subject_id(entry, "matter")
    unit = Unit.objects.filter(code=entry.unit).select_related("district").first()
    if pk is None or unit is None:
        return None
    found = facts.matters(unit, ids=[pk])
    return (unit, found[0]) if found else None


def submitted_findings(entry: Recorded) -> list[Finding]:
    touched = _the_matter(entry)
    if touched is None:
        return []
    unit, m = touched
    t = facts.thresholds_of(unit)
    window = dt.timedelta(days=t.rf2_window_days)
    around = facts.matters(unit, since=m.submitted_at - window, until=m.submitted_at + window)
    later = {x.id for x in around if m.order <= x.order <= (m.submitted_at + window, 2**63)}
    return [*rf2.find(around, t, only=later), *_waits_of(unit, m, t)]


def _waits_of(unit: Unit, m: MatterFact, t: Any) -> list[Finding]:
    """RF7 for one matter's waits. The unit's median (all its waits) is read only when one of them is
    already longer than the floor `rf7_min_days` — below it nothing can fire, whatever the median."""
    now = clock.now()
    mine = facts.waits(unit, matter_ids=[m.id])
    if not any(((w.ended or now) - w.started).total_seconds() > t.rf7_min_days * rf7.DAY for w in mine):
        return []
    return rf7.find(mine, t, as_of=now, baseline=rf7.unit_median_days(facts.waits(unit)))


def decided_findings(entry: Recorded) -> list[Finding]:
    touched = _the_matter(entry)
    if touched is None:
        return []
    unit, m = touched
    t = facts.thresholds_of(unit)
    lines = facts.budget_lines(unit)
    # The line's matters are read only when the line's total (one aggregate) is over its amount.
    over = m.budget_line and facts.line_spent(unit, m.budget_line) > lines.get(m.budget_line, Decimal(0))
    mine = facts.matters(unit, line=m.budget_line) if over else [m]
    item = re.fullmatch(r"meeting:\d+/item:(\d+)", m.decision_ref)
    sealed = facts.sealed_decisions(unit, items=[int(item.group(1))] if item else [])
    return [
        *_waits_of(unit, m, t),
        *[
            f
            for f in rf8.find(mine, lines, budget_years=None if m.budget_line else facts.budget_years(unit))
            if f.key in (f"matter:{m.id}", f"line:{m.budget_line}")
        ],
        *rf5.outside_meeting([m], sealed),
    ]


def sealed_findings(entry: Recorded) -> list[Finding]:
    pk = _subject_id(entry, "meeting")
    unit = Unit.objects.filter(code=entry.unit).first()
    if pk is None or unit is None:
        return []
    return rf5.without_quorum(facts.sealed_items(unit, meeting=pk))


def _plan_units(entry: Recorded) -> list[Unit]:
    """The unit an entry is about, or every active unit of its district (a district-wide entry)."""
    qs = Unit.objects.select_related("district").filter(is_active=True)
    if entry.unit:
        return list(qs.filter(code=entry.unit))
    district = District.objects.filter(
        Q(code=entry.district) | Q(code=entry.subject.rpartition(":")[2])
    ).first()
    return list(qs.filter(district=district)) if district is not None else []


def plan_findings(entry: Recorded) -> list[Finding]:
    day = clock.today()
    found: list[Finding] = []
    for unit in _plan_units(entry):
        found += _rf6(unit, day, facts.thresholds_of(unit))
        found += rf11.find(facts.plans(unit, day), facts.pairs(unit.district, day))
    return found


EVENT_FINDINGS: dict[str, Callable[[Recorded], list[Finding]]] = {
    "matter.submitted": submitted_findings,
    **dict.fromkeys(MATTER_DECIDED, decided_findings),
    "meeting.sealed": sealed_findings,
    "powers.plan_filed": plan_findings,
    "powers.deadline_set": plan_findings,
    "powers.incompatible_pair_added": plan_findings,
}


def entry_findings(entry: Recorded) -> list[Finding]:
    handler = EVENT_FINDINGS.get(entry.code)
    return handler(entry) if handler is not None else []


def on_entry(entry: Recorded) -> int:
    """The ledger dispatcher's handler (subscribed for every code of EVENT_FINDINGS)."""
    return raise_findings(entry_findings(entry))


# --- Raising -----------------------------------------------------------------------------------------


def raise_findings(findings: Iterable[Finding]) -> int:
    """Each finding as a warning (owned by the unit's inspector), once per source; returns how many were
    new."""
    findings = list(findings)
    if not findings:
        return 0
    units = {u.code: u for u in Unit.objects.filter(code__in={f.unit for f in findings})}
    known = set(
        Warning.objects.filter(source__in={f.source for f in findings}).values_list(
            "rule", "subject", "source"
        )
    )
    raised = 0
    for f in findings:
        if (f.rule, f.subject, f.source) in known or f.unit not in units:
            continue
        services.raise_warning(
            rule=f.rule,
            level=f.level,
            unit=units[f.unit],
            subject=f.subject,
            explanation=f.explanation,
            records=list(f.records),
            source=f.source,
        )
        known.add((f.rule, f.subject, f.source))
        raised += 1
    return raised
