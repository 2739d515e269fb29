"""Keeping the monthly roll-up (models.py, decision 0022): recomputed from the records, never incremented.

- `refresh(unit_id, months)` recomputes a unit's cells and tallies of those months (all of them when the
  unit's reform date moved, or the unit was never rolled up) under a lock on its UnitRollup row;
- `on_entry` is the ledger dispatcher's handler (decision 0012): a matter's entry refreshes the month it
  was submitted in and the months of its vetoes, a sealed or corrected meeting its month, a filed plan or
  a policy the whole unit if its reform date moved. The hourly catch-up (tasks.catch_up) and
  `zhiheng analytics replay` deliver entries again; `zhiheng analytics rebuild` recomputes everything
  (the demo builder runs it: its history is replayed into the red flags only).

Recomputing from the tables is what makes a retry, a replay or a catch-up harmless: the rows of a month
are the same however often, and in whatever order, its entries arrive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.db import transaction

from zhiheng.core import clock
from zhiheng.ledger import dispatch
from zhiheng.ledger.dispatch import Recorded
from zhiheng.matters import events as matter_events
from zhiheng.matters.models import Matter, MatterEvent
from zhiheng.meetings import events as meeting_events
from zhiheng.meetings.models import Meeting
from zhiheng.org.models import Unit
from zhiheng.powers import events as powers_events

from . import sources, stats
from .models import MonthlyCell, MonthlyTally, UnitRollup
from .sources import Cell, Period, Slice, Tally

HANDLER_PREFIX = "analytics."
MATTER_CODES = tuple(
    e.code
    for e in (
        matter_events.SUBMITTED,
        matter_events.REFERRED,
        matter_events.JOINT_OPINION,
        matter_events.APPROVED,
        matter_events.REJECTED,
        matter_events.COLLECTIVE,
        matter_events.COSIGNED,
        matter_events.VETOED,
        matter_events.EXECUTED,
        matter_events.WITHDRAWN,
        matter_events.COLLECTIVE_BLOCKED,
        matter_events.HANDED_OVER,
        matter_events.COSIGNER_REPLACED,
    )
)
MEETING_CODES = (meeting_events.SEALED.code, meeting_events.CORRECTED.code)
REFORM_CODES = (
    powers_events.PLAN_FILED.code,
    powers_events.PLAN_IN_FORCE.code,
    powers_events.POLICY_SET.code,
)
_SUBJECT = re.compile(r"^(matter|meeting):(\d+)")


def _write(cells: Sequence[Cell], tallies: Sequence[Tally]) -> None:
    MonthlyCell.objects.bulk_create(
        [
            MonthlyCell(
                unit_id=c.unit_id,
                month=c.month,
                kind=c.kind,
                after=c.after,
                category=c.category,
                deputy_id=c.deputy_id,
                signer_id=c.signer_id,
                matters=c.matters,
                amount=c.amount,
                collective=c.collective,
                waits=stats.pack(sorted(c.waits)),
            )
            for c in cells
        ],
        batch_size=2000,
    )
    MonthlyTally.objects.bulk_create(
        [
            MonthlyTally(
                unit_id=t.unit_id,
                month=t.month,
                vetoes=t.vetoes,
                items=t.items,
                meeting_decisions=t.meeting_decisions,
                dissent=t.dissent,
                items_with_dissent=t.items_with_dissent,
            )
            for t in tallies
        ],
        batch_size=2000,
    )


def _locked(unit_ids: Sequence[int]) -> dict[int, UnitRollup]:
    """The units' UnitRollup rows, created if missing, locked until the caller's transaction ends."""
    known = set(UnitRollup.objects.filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    UnitRollup.objects.bulk_create(
        [UnitRollup(unit_id=pk) for pk in unit_ids if pk not in known], ignore_conflicts=True
    )
    return {r.unit_id: r for r in UnitRollup.objects.select_for_update().filter(unit_id__in=unit_ids)}


def refresh(unit_id: int, months: Iterable[dt.date] | None = None) -> None:
    """Recompute the unit's cells and tallies of these months (first days), or of its whole history (None,
    or whenever its reform date is not the one its rows were split by)."""
    wanted = sorted({m.replace(day=1) for m in months}) if months is not None else None
    with transaction.atomic():
        roll = _locked([unit_id])[unit_id]
        reform = sources.reform_dates([unit_id]).get(unit_id)
        reforms = {unit_id: reform} if reform is not None else {}
        if wanted is None or roll.refreshed_at is None or roll.reform != reform:
            MonthlyCell.objects.filter(unit_id=unit_id).delete()
            MonthlyTally.objects.filter(unit_id=unit_id).delete()
            where = Slice.of(([unit_id], [Period()]))
        elif not wanted:
            return
        else:
            MonthlyCell.objects.filter(unit_id=unit_id, month__in=wanted).delete()
            MonthlyTally.objects.filter(unit_id=unit_id, month__in=wanted).delete()
            where = Slice.of(([unit_id], [Period.month(m) for m in wanted]))
        _write(sources.cells(where, reforms), sources.tallies(where))
        roll.reform, roll.refreshed_at = reform, clock.now()
        roll.save(update_fields=["reform", "refreshed_at"])


def rebuild(unit_ids: Iterable[int] | None = None, *, batch: int = 200) -> int:
    """Recompute the roll-up of these units (None: every unit) from scratch, `batch` units per transaction;
    returns how many units."""
    ids = (
        sorted(unit_ids)
        if unit_ids is not None
        else list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    )
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        with transaction.atomic():
            rolls = _locked(chunk)
            reforms = sources.reform_dates(chunk)
            MonthlyCell.objects.filter(unit_id__in=chunk).delete()
            MonthlyTally.objects.filter(unit_id__in=chunk).delete()
            where = Slice.of((chunk, [Period()]))
            _write(sources.cells(where, reforms), sources.tallies(where))
            now = clock.now()
            for pk, roll in rolls.items():
                roll.reform, roll.refreshed_at = reforms.get(pk), now
            UnitRollup.objects.bulk_update(list(rolls.values()), ["reform", "refreshed_at"])
    return len(ids)


def refresh_moved_reforms(unit_ids: Iterable[int]) -> int:
    """Refresh the whole history of those units whose reform date moved since their rows were split."""
    ids = list(unit_ids)
    current = sources.reform_dates(ids)
    rolled = dict(UnitRollup.objects.filter(unit_id__in=ids).values_list("unit_id", "reform"))
    moved = [pk for pk in ids if pk in rolled and rolled[pk] != current.get(pk)]
    for pk in moved:
        refresh(pk)
    return len(moved)


def _month(moment: dt.datetime) -> dt.date:
    return clock.local_date(moment).replace(day=1)


def on_entry(entry: Recorded) -> None:
    """The ledger dispatcher's handler for MATTER_CODES, MEETING_CODES and REFORM_CODES."""
    if entry.code in REFORM_CODES:
        units = (
            Unit.objects.filter(code=entry.unit)
            if entry.unit
            else Unit.objects.filter(district__code=entry.district)
        )
        refresh_moved_reforms(units.values_list("pk", flat=True))
        return
    match = _SUBJECT.match(entry.subject)
    if match is None:
        return
    kind, pk = match.group(1), int(match.group(2))
    if kind == "matter":
        matter = Matter.objects.filter(pk=pk).values("unit_id", "submitted_at").first()
        if matter is None:
            return
        months = {
            _month(at)
            for at in MatterEvent.objects.filter(matter_id=pk, action="vetoed").values_list("at", flat=True)
        }
        if matter["submitted_at"] is not None:
            months.add(_month(matter["submitted_at"]))
        refresh(matter["unit_id"], months)
    else:
        meeting = Meeting.objects.filter(pk=pk).values("unit_id", "date").first()
        if meeting is not None:
            refresh(meeting["unit_id"], [meeting["date"]])


def install() -> None:
    """From AnalyticsConfig.ready(): the roll-up consumes the entries that change it."""
    for code in (*MATTER_CODES, *MEETING_CODES, *REFORM_CODES):
        dispatch.subscribe(code, on_entry, name=HANDLER_PREFIX + "rollup")
