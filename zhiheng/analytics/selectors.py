"""Effectiveness analytics (SPEC §11): what a scope of units did in a period, and how fast.

The figures are read from the monthly roll-up (models.py, rollup.py, decision 0022) — a few rows per unit
and month instead of every matter — and, for what the roll-up does not cover, straight from the records
through the same code that fills it (sources.py):

- the whole months of the period, for the units rolled up with their current reform date: the roll-up,
  grouped and concatenated in SQL (one query per figure, whatever the number of units);
- the days of the period's first and last months when the period starts or ends inside a month, and every
  day of a unit not rolled up yet (or whose reform date moved since): live, two queries for all of them.

Latency — submitted → decided, in tenths of a day — keeps its exact medians and 90th percentiles: the
roll-up stores each wait, the page sorts them once (stats.latency_of).

A pilot unit is one taking part in a pilot programme of its district (zhiheng.pilots, R-PIL-1). Periods are inclusive Shanghai dates on the submission day; meetings count by their date,
vetoes and warnings by when they happened.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Aggregate, Count, QuerySet, Sum, TextField

from zhiheng.accounts.models import Person
from zhiheng.org.models import District, Unit
from zhiheng.pilots import selectors as pilots
from zhiheng.powers.models import Category
from zhiheng.risk.models import Warning

from . import sources, stats
from .models import CellKind, MonthlyCell, MonthlyTally, UnitRollup
from .sources import Cell, Period, Slice, Tally, month_key, month_of, reform_dates
from .stats import Histogram, Latency

__all__ = [
    "GROUPINGS",
    "BeforeAfter",
    "LatencyRow",
    "Month",
    "Period",
    "Reading",
    "Side",
    "SignerWait",
    "WarningMonth",
    "before_after",
    "latency_by",
    "monthly",
    "pilot_unit_ids",
    "reading",
    "reform_dates",
    "signer_waits",
    "warnings_monthly",
]

GROUPINGS = ("unit", "deputy", "category", "district")


class Joined(Aggregate):
    """The group's texts joined end to end (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL): the packed
    waits of its cells (stats.pack)."""

    name = "Joined"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="GROUP_CONCAT(%(expressions)s, '')", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="STRING_AGG(%(expressions)s, '')", **extra)


def whole_months(period: Period) -> tuple[Period | None, list[Period]]:
    """The whole months inside the period (as a period of dates: their first day to the last one's last
    day) and the days around them, or (None, [period]) when the period holds no whole month."""
    start, end = period.start, period.end
    first = start if start is None or start.day == 1 else sources.next_month(start)
    last = (
        end
        if end is None or (end + dt.timedelta(days=1)).day == 1
        else end.replace(day=1) - dt.timedelta(days=1)
    )
    if first is not None and last is not None and first > last:
        return None, [period]
    edges = []
    if start is not None and first is not None and first != start:
        edges.append(Period(start, first - dt.timedelta(days=1)))
    if end is not None and last is not None and last != end:
        edges.append(Period(last + dt.timedelta(days=1), end))
    return Period(first, last), edges


class Reading:
    """How the figures of some units over a period are read: `rolled` units' whole `months` from the
    roll-up, `live` (the rest) from the records. Three queries to plan (the units' reform dates, what the
    roll-up holds), two more for the live cells and two for the live tallies, each only if needed."""

    def __init__(self, unit_ids: Iterable[int], period: Period) -> None:
        self.unit_ids = list(unit_ids)
        self.period = period
        self.reforms = reform_dates(self.unit_ids)
        stored = dict(
            UnitRollup.objects.filter(unit_id__in=self.unit_ids, refreshed_at__isnull=False).values_list(
                "unit_id", "reform"
            )
        )
        months, edges = whole_months(period)
        current = [pk for pk in self.unit_ids if pk in stored and stored[pk] == self.reforms.get(pk)]
        self.months = months
        self.rolled = current if months is not None else []
        rest = [pk for pk in self.unit_ids if pk not in set(self.rolled)]
        self.live = Slice.of((self.rolled, edges), (rest, [period]))

    @cached_property
    def cells(self) -> list[Cell]:
        return sources.cells(self.live, self.reforms)

    @cached_property
    def tallies(self) -> list[Tally]:
        return sources.tallies(self.live)

    def rolled_cells(self, kind: str) -> QuerySet[MonthlyCell]:
        assert self.months is not None
        return MonthlyCell.objects.filter(unit_id__in=self.rolled, kind=kind).filter(
            self.months.on_date("month")
        )


def reading(unit_ids: Iterable[int], period: Period) -> Reading:
    """Plan the reads of a page once, and pass it to each selector below."""
    return Reading(unit_ids, period)


@dataclass
class Group:
    """What the cells of one key add up to."""

    matters: int = 0
    amount: Decimal = Decimal(0)
    collective: int = 0
    waits: array[int] = field(default_factory=lambda: array("i"))


def _groups(r: Reading, keys: Sequence[str], kind: str = CellKind.MATTER) -> dict[Any, Group]:
    """{key (a tuple for several keys): Group} over the roll-up and the live cells, in one query."""
    out: dict[Any, Group] = defaultdict(Group)
    if r.rolled:
        rows = (
            r.rolled_cells(kind)
            .values(*keys)
            .annotate(
                n=Sum("matters"), amount=Sum("amount"), collective=Sum("collective"), waits=Joined("waits")
            )
            .order_by()
        )
        for row in rows:
            g = out[tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]]
            g.matters += row["n"] or 0
            g.amount += row["amount"] or Decimal(0)
            g.collective += row["collective"] or 0
            if row["waits"]:
                g.waits.extend(stats.unpack(row["waits"]))
    for c in r.cells:
        if c.kind != kind:
            continue
        g = out[tuple(getattr(c, k) for k in keys) if len(keys) > 1 else getattr(c, keys[0])]
        g.matters += c.matters
        g.amount += c.amount
        g.collective += c.collective
        g.waits.extend(c.waits)
    return out


def _joined(parts: Iterable[array[int]]) -> array[int]:
    out = array("i")
    for part in parts:
        out.extend(part)
    return out


def _tallies(r: Reading) -> dict[dt.date, Tally]:
    """{month: Tally} summed over the units."""
    out: dict[dt.date, Tally] = {}
    names = ("vetoes", "items", "meeting_decisions", "dissent", "items_with_dissent")
    rows: list[dict[str, Any]] = []
    if r.rolled:
        assert r.months is not None
        rows = list(
            MonthlyTally.objects.filter(unit_id__in=r.rolled)
            .filter(r.months.on_date("month"))
            .values("month")
            .annotate(**{n: Sum(n) for n in names})
            .order_by()
        )
    rows += [{"month": t.month, **{n: getattr(t, n) for n in names}} for t in r.tallies]
    for row in rows:
        t = out.setdefault(row["month"], Tally(0, row["month"]))
        for n in names:
            setattr(t, n, getattr(t, n) + (row[n] or 0))
    return out


def pilot_unit_ids(unit_ids: Iterable[int]) -> set[int]:
    """The pilot units among these: the units taking part in a pilot programme (pilots.selectors)."""
    return pilots.pilot_unit_ids(unit_ids)


# ---------------------------------------------------------------- what the pages and the API read


@dataclass(frozen=True)
class LatencyRow:
    key: str
    label: str
    latency: Latency


def _labels(by: str, keys: Iterable[Any]) -> dict[Any, tuple[str, str]]:
    """{key in the query: (key in the answer, label)} for a grouping."""
    ids = [k for k in keys if k is not None]
    if by == "unit":
        return {u.pk: (u.code, u.name) for u in Unit.objects.filter(pk__in=ids).only("code", "name")}
    if by == "district":
        return {d.pk: (d.code, d.name) for d in District.objects.filter(pk__in=ids).only("code", "name")}
    if by in ("deputy", "signer"):
        return {
            pk: (username, name or username)
            for pk, username, name in Person.objects.filter(pk__in=ids).values_list("pk", "username", "name")
        }
    names = dict(Category.objects.filter(code__in=ids).values_list("code", "name"))
    return {k: (k or "", names.get(k, k) or "") for k in keys}


KEY_FIELDS = {  # grouping → (kind of cell, key)
    "unit": (CellKind.MATTER, "unit_id"),
    "deputy": (CellKind.DEPUTY, "deputy_id"),
    "category": (CellKind.CATEGORY, "category"),
    "district": (CellKind.MATTER, "unit_id"),
}


def latency_by(
    unit_ids: Iterable[int], period: Period, by: str, *, reading: Reading | None = None
) -> list[LatencyRow]:
    """Latency submitted → decided of the decided matters, per unit, deputy in charge, category or
    district, ordered by key."""
    if by not in KEY_FIELDS:
        raise ValueError(f"unknown grouping {by!r}")
    r = reading or Reading(unit_ids, period)
    kind, key = KEY_FIELDS[by]
    waits: dict[Any, array[int]] = {k: g.waits for k, g in _groups(r, (key,), kind).items() if g.waits}
    if by == "district":
        district_of = dict(Unit.objects.filter(pk__in=list(waits)).values_list("pk", "district_id"))
        merged: dict[Any, array[int]] = defaultdict(lambda: array("i"))
        for unit_id, w in waits.items():
            merged[district_of.get(unit_id)].extend(w)
        waits = merged
    names = _labels(by, waits)
    rows = [
        LatencyRow(*names.get(key, (str(key), str(key))), stats.latency_of(w)) for key, w in waits.items()
    ]
    return sorted(rows, key=lambda r: r.key)


@dataclass(frozen=True)
class Side:
    """Before and after the reform: latency, how many matters, their amount."""

    before: Latency
    after: Latency
    count_before: int = 0
    count_after: int = 0
    amount_before: Decimal = Decimal(0)
    amount_after: Decimal = Decimal(0)


@dataclass(frozen=True)
class BeforeAfter:
    per_unit: list[tuple[Unit, dt.date | None, Side]]
    overall: Side
    pilot: Side | None  # None when the scope has no pilot unit, or only pilot units
    non_pilot: Side | None
    pilots: frozenset[int] = frozenset()  # the pilot units of the scope


def before_after(units: list[Unit], period: Period, *, reading: Reading | None = None) -> BeforeAfter:
    """Each unit before and after its reform date, all of them together, and pilot vs non-pilot units:
    one query on the roll-up over the scope, whatever its size."""
    ids = [u.pk for u in units]
    r = reading or Reading(ids, period)
    groups = _groups(r, ("unit_id", "after"))
    counts: dict[int, tuple[Histogram, Histogram]] = {
        u: (Counter(groups[(u, False)].waits), Counter(groups[(u, True)].waits)) for u in ids
    }

    def group(members: Iterable[int], hists: tuple[Histogram, Histogram] | None = None) -> Side:
        members = list(members)
        before, after = [groups[(u, False)] for u in members], [groups[(u, True)] for u in members]
        if hists is None:  # several units: their waits put end to end (in C), then counted
            hists = (Counter(_joined(g.waits for g in before)), Counter(_joined(g.waits for g in after)))
        return Side(
            stats.latency(hists[0]),
            stats.latency(hists[1]),
            sum(g.matters for g in before),
            sum(g.matters for g in after),
            sum((g.amount for g in before), Decimal(0)),
            sum((g.amount for g in after), Decimal(0)),
        )

    per_unit = [(u, r.reforms.get(u.pk), group([u.pk], counts[u.pk])) for u in units]
    pilots = pilot_unit_ids(ids)
    mixed = bool(pilots) and len(pilots) < len(ids)
    return BeforeAfter(
        per_unit,
        group(ids),
        group(pilots) if mixed else None,
        group(set(ids) - pilots) if mixed else None,
        frozenset(pilots),
    )


@dataclass(frozen=True)
class Month:
    month: dt.date
    latency: Latency
    matters: int = 0
    amount: Decimal = Decimal(0)
    collective: int = 0
    vetoes: int = 0
    meeting_decisions: int = 0
    dissent: int = 0
    items_with_dissent: int = 0


def monthly(unit_ids: Iterable[int], period: Period, *, reading: Reading | None = None) -> list[Month]:
    """Per month of submission: latency, matters and amounts, collective decisions; per month of the event:
    vetoes, meeting items decided and dissent (不同意 positions in sealed minutes)."""
    r = reading or Reading(unit_ids, period)
    groups = _groups(r, ("month",))
    tallies = _tallies(r)
    out = []
    for m in sorted(set(groups) | {m for m, t in tallies.items() if t.vetoes or t.items}):
        g, t = groups.get(m), tallies.get(m)
        counts: dict[str, Any] = {}
        if g is not None:
            counts.update(matters=g.matters, amount=g.amount, collective=g.collective)
        if t is not None:
            if t.vetoes:
                counts["vetoes"] = t.vetoes
            if t.items:
                counts.update(
                    meeting_decisions=t.meeting_decisions,
                    dissent=t.dissent,
                    items_with_dissent=t.items_with_dissent,
                )
        out.append(Month(m, stats.latency_of(g.waits if g is not None else ()), **counts))
    return out


@dataclass(frozen=True)
class SignerWait:
    username: str
    name: str
    decisions: int  # matters decided alone
    cosigns: int
    latency: Latency


def signer_waits(
    unit_ids: Iterable[int], period: Period, *, reading: Reading | None = None
) -> list[SignerWait]:
    """How long matters waited for each signer, from the matters' history: for the one who decided alone,
    submitted → decided; for a co-signer (R-MAT-4), from the matter's entering 待会签 to the signature.
    Slowest (median) first."""
    r = reading or Reading(unit_ids, period)
    alone = {k: g.waits for k, g in _groups(r, ("signer_id",), CellKind.SIGNER).items() if g.waits}
    cosigned = {k: g.waits for k, g in _groups(r, ("signer_id",), CellKind.COSIGN).items() if g.waits}
    names = _labels("signer", set(alone) | set(cosigned))
    out = []
    for pk in set(alone) | set(cosigned):
        a, c = alone.get(pk, array("i")), cosigned.get(pk, array("i"))
        username, name = names.get(pk, (str(pk), str(pk)))
        out.append(SignerWait(username, name, len(a), len(c), stats.latency_of(a + c)))
    return sorted(out, key=lambda w: (-(w.latency.median_days or 0), w.username))


@dataclass(frozen=True)
class WarningMonth:
    month: dt.date
    raised: int
    resolved: int


def warnings_monthly(
    visible: QuerySet[Warning], unit_ids: Iterable[int], period: Period
) -> list[WarningMonth]:
    """Warnings raised and resolved per month, among those the viewer may see (`visible`): read live, as
    what a viewer sees of them depends on who they are (a few rows a unit and month)."""
    qs = visible.filter(unit_id__in=list(unit_ids)).order_by()
    raised = Counter(
        {
            month_key(r["m"]): r["n"]
            for r in qs.filter(period.on("created"))
            .annotate(m=month_of("created"))
            .values("m")
            .annotate(n=Count("*"))
        }
    )
    resolved = Counter(
        {
            month_key(r["m"]): r["n"]
            for r in qs.filter(resolved_at__isnull=False)
            .filter(period.on("resolved_at"))
            .annotate(m=month_of("resolved_at"))
            .values("m")
            .annotate(n=Count("*"))
        }
    )
    return [WarningMonth(m, raised[m], resolved[m]) for m in sorted(set(raised) | set(resolved))]
