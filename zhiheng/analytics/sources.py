"""The analytics figures straight from the records (SPEC §11): what the monthly roll-up stores (rollup.py)
and what the pages read live for the days the roll-up does not cover (selectors.py).

Latency — submitted → decided — is measured by the database in tenths of a day (TenthsOfDay); months are
Shanghai months computed by the database (ShanghaiMonth). Both the roll-up and the live reads go through
`cells` and `tallies` below, so a figure is the same whichever path read it.

The reform date of a unit is the in-force date of its first filed division plan 分工方案 (R-DIV-5: the day
its deputies took over the restricted powers), or, for a unit that never filed one, of its first policy
(R-ORG-3). A matter is "before" when it was submitted before that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from zhiheng.core import clock
from zhiheng.matters.models import Cosign, Matter, MatterEvent
from zhiheng.matters.states import MatterState
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.powers.models import DivisionPlan, PlanStatus, UnitPolicy

from .stats import Histogram

DECIDED_ITEM = ("passed", "rejected")


class TenthsOfDay(Func):
    """(end − start) in tenths of a day, rounded to the nearest tenth — an integer, on both databases."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 10) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(EXTRACT(EPOCH FROM (%(expressions)s)) / 8640.0) AS INTEGER)",
            arg_joiner=" - ",
            **extra,
        )


class ShanghaiMonth(Func):
    """The first day of the Shanghai month of a datetime (`date=False`) or date column, computed by the
    database itself: Django's TruncMonth calls back into Python once per row on SQLite, which cost seconds
    over a district's five years. Shanghai keeps UTC+8 all year (no daylight saving)."""

    arity = 1
    output_field = CharField()  # SQLite answers ISO text, PostgreSQL a date: month_key reads both

    def __init__(self, expression: Any, *, date: bool = False) -> None:
        super().__init__(expression)
        self.date = date

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # The format is a parameter: a literal % in the SQL would break every later `sql % params`.
        sql, params = compiler.compile(self.source_expressions[0])
        if self.date:
            return f"strftime(%s, {sql})", ["%Y-%m-01", *params]
        # Whole seconds: SQLite rounds a time to the millisecond, so 23:59:59.9999 on a month's last day
        # would fall in the next month, while the period filters (a comparison of the stored text) and
        # Python keep it in its own — and a month's rows must be the ones its range selects.
        return f"strftime(%s, substr({sql}, 1, 19), '+8 hours')", ["%Y-%m-01", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = "" if self.date else " AT TIME ZONE 'Asia/Shanghai'"
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(date_trunc('month', %(expressions)s{zone}) AS date)",
            **extra,
        )


def month_of(field: str, *, date: bool = False) -> ShanghaiMonth:
    return ShanghaiMonth(F(field), date=date)


def month_key(value: Any) -> dt.date:
    """A month as ShanghaiMonth returns it: a date (PostgreSQL) or its ISO text (SQLite)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.replace(day=1)  # type: ignore[no-any-return]


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """Inclusive Shanghai dates; None is open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None

    def on(self, field: str) -> Q:
        """The filter for a datetime field falling in the period."""
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field}__gte": clock.at(self.start, 0)})
        if self.end is not None:
            q &= Q(**{f"{field}__lt": clock.at(self.end + dt.timedelta(days=1), 0)})
        return q

    def on_date(self, field: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    @classmethod
    def month(cls, first: dt.date) -> Period:
        return cls(first, next_month(first) - dt.timedelta(days=1))


# ---------------------------------------------------------------- the matters of a scope


def submitted(unit_ids: Iterable[int], period: Period) -> QuerySet[Matter]:
    """The matters submitted in the units in the period (drafts are not matters yet)."""
    return (
        Matter.objects.filter(unit_id__in=list(unit_ids))
        .filter(period.on("submitted_at"))
        .exclude(state=MatterState.DRAFT)
        .order_by()
    )


def decided(unit_ids: Iterable[int], period: Period) -> QuerySet[Matter]:
    """Those of them already decided (by a deputy, or by a meeting): the ones whose latency is known."""
    return submitted(unit_ids, period).filter(decided_at__isnull=False)


WAIT = TenthsOfDay(F("decided_at"), F("submitted_at"))


def histograms(qs: QuerySet[Any], *keys: Any, wait: Any = WAIT) -> dict[Any, Histogram]:
    """{key (or tuple of keys): histogram of waits} for the rows of `qs`, in one GROUP BY query.
    A key is a field name or an expression (named k0, k1, … in the query)."""
    named = {f"k{i}": key if not isinstance(key, str) else F(key) for i, key in enumerate(keys)}
    rows = qs.annotate(**named, tenths=wait).values(*named, "tenths").annotate(n=Count("*")).order_by()
    out: dict[Any, Histogram] = defaultdict(Counter)
    for row in rows:
        key = tuple(row[k] for k in named) if len(named) > 1 else row["k0"]
        out[key][row["tenths"]] += row["n"]
    return out


# ---------------------------------------------------------------- reform dates


def reform_dates(unit_ids: Iterable[int]) -> dict[int, dt.date]:
    """Each unit's reform date: its first filed division plan's in-force date, else its first policy's."""
    ids = list(unit_ids)
    dates: dict[int, dt.date] = {
        row["unit_id"]: row["first"]
        for row in DivisionPlan.objects.filter(unit_id__in=ids, status=PlanStatus.FILED)
        .values("unit_id")
        .annotate(first=Min("in_force_from"))
        .order_by()
        if row["first"] is not None
    }
    missing = [pk for pk in ids if pk not in dates]
    if missing:
        for row in (
            UnitPolicy.objects.filter(unit_id__in=missing)
            .values("unit_id")
            .annotate(first=Min("in_force_from"))
            .order_by()
        ):
            dates[row["unit_id"]] = row["first"]
    return dates


# ---------------------------------------------------------------- cells and tallies


@dataclass(frozen=True)
class Slice:
    """Some units over some periods: `parts` pairs unit ids with the periods read for them."""

    parts: tuple[tuple[tuple[int, ...], tuple[Period, ...]], ...]

    @classmethod
    def of(cls, *parts: tuple[Iterable[int], Iterable[Period]]) -> Slice:
        kept = tuple((tuple(ids), tuple(periods)) for ids, periods in parts)
        return cls(tuple((ids, periods) for ids, periods in kept if ids and periods))

    def __bool__(self) -> bool:
        return bool(self.parts)

    def q(self, unit: str, when: str, *, date: bool = False) -> Q:
        """The filter: `unit` (a unit id field) among a part's units and `when` in one of its periods."""
        out = Q()
        for ids, periods in self.parts:
            window = Q()
            for p in periods:
                window |= p.on_date(when) if date else p.on(when)
            out |= Q(**{f"{unit}__in": ids}) & window
        return out


@dataclass
class Cell:
    """A MonthlyCell in memory (models.py): the matters of a unit's month for one combination of keys."""

    unit_id: int
    month: dt.date
    kind: str
    after: bool
    category: str
    deputy_id: int | None
    signer_id: int | None
    matters: int = 0
    amount: Decimal = Decimal(0)
    collective: int = 0
    waits: list[int] = field(default_factory=list)


def _awaiting_since() -> Subquery:
    return Subquery(
        MatterEvent.objects.filter(matter=OuterRef("matter"), state=MatterState.AWAITING_COSIGN)
        .order_by("at")
        .values("at")[:1]
    )


def cells(where: Slice, reforms: Mapping[int, dt.date]) -> list[Cell]:
    """The cells (models.MonthlyCell, every kind) of the matters submitted in `where`, each unit split at
    its date in `reforms`, and of their co-signatures: two queries."""
    if not where:
        return []
    out: dict[tuple[Any, ...], Cell] = {}
    starts = {pk: clock.at(day, 0) for pk, day in reforms.items()}
    rows = (
        Matter.objects.filter(where.q("unit_id", "submitted_at"))
        .exclude(state=MatterState.DRAFT)
        .annotate(m=month_of("submitted_at"), tenths=WAIT)
        .values_list(
            "unit_id",
            "m",
            "submitted_at",
            "category",
            "deputy_id",
            "decided_by_id",
            "decided_at",
            "amount",
            "tenths",
        )
        .order_by()
    )

    def cell(key: tuple[Any, ...], unit_id: int, m: Any) -> Cell:
        found = out.get(key)
        if found is None:
            found = out[key] = Cell(unit_id, month_key(m), key[0], False, "", None, None)
        return found

    for unit_id, m, submitted_at, category, deputy_id, signer_id, decided_at, amount, tenths in rows:
        start = starts.get(unit_id)
        after = start is not None and submitted_at >= start
        side = cell(("matter", unit_id, m, after), unit_id, m)
        side.after = after
        side.matters += 1
        side.amount += amount if amount is not None else Decimal(0)  # SUM skips an empty amount
        if decided_at is None:
            continue
        side.waits.append(tenths)
        side.collective += signer_id is None
        by_category = cell(("category", unit_id, m, category), unit_id, m)
        by_category.category = category
        by_category.waits.append(tenths)
        by_deputy = cell(("deputy", unit_id, m, deputy_id), unit_id, m)
        by_deputy.deputy_id = deputy_id
        by_deputy.waits.append(tenths)
        if signer_id is not None:
            by_signer = cell(("signer", unit_id, m, signer_id), unit_id, m)
            by_signer.signer_id = signer_id
            by_signer.waits.append(tenths)
    cosigns = (
        Cosign.objects.filter(where.q("matter__unit_id", "matter__submitted_at"), signed_at__isnull=False)
        .annotate(since=_awaiting_since())
        .filter(since__isnull=False)
        .annotate(m=month_of("matter__submitted_at"), tenths=TenthsOfDay(F("signed_at"), F("since")))
        .values_list("matter__unit_id", "m", "signer_id", "tenths")
        .order_by()
    )
    for unit_id, m, signer_id, tenths in cosigns:
        by_cosigner = cell(("cosign", unit_id, m, signer_id), unit_id, m)
        by_cosigner.signer_id = signer_id
        by_cosigner.waits.append(tenths)
    return list(out.values())


@dataclass
class Tally:
    """A MonthlyTally in memory: a unit's month counted by when things happened."""

    unit_id: int
    month: dt.date
    vetoes: int = 0
    items: int = 0
    meeting_decisions: int = 0
    dissent: int = 0
    items_with_dissent: int = 0


def tallies(where: Slice) -> list[Tally]:
    """Vetoes (by the veto's day) and the items of sealed minutes (by the meeting's date) in `where`, per
    unit and month: two queries."""
    if not where:
        return []
    out: dict[tuple[int, dt.date], Tally] = {}

    def tally(unit_id: int, m: Any) -> Tally:
        month = month_key(m)
        return out.setdefault((unit_id, month), Tally(unit_id, month))

    for row in (
        MatterEvent.objects.filter(where.q("matter__unit_id", "at"), action="vetoed")
        .annotate(m=month_of("at"))
        .values("matter__unit_id", "m")
        .annotate(n=Count("*"))
        .order_by()
    ):
        tally(row["matter__unit_id"], row["m"]).vetoes = row["n"]
    for row in (
        Item.objects.filter(where.q("meeting__unit_id", "meeting__date", date=True))
        .filter(meeting__state=MeetingState.SEALED)
        .annotate(m=month_of("meeting__date", date=True))
        .values("meeting__unit_id", "m")
        .annotate(
            n=Count("*"),
            decided=Count("pk", filter=Q(decision__in=DECIDED_ITEM)),
            dissent=Sum("disagree"),
            with_dissent=Count("pk", filter=Q(disagree__gt=0)),
        )
        .order_by()
    ):
        t = tally(row["meeting__unit_id"], row["m"])
        t.items, t.meeting_decisions = row["n"], row["decided"]
        t.dissent, t.items_with_dissent = row["dissent"] or 0, row["with_dissent"]
    return list(out.values())


def months_between(periods: Sequence[Period]) -> set[dt.date]:
    """The first days of the months the (bounded) periods touch."""
    out: set[dt.date] = set()
    for p in periods:
        assert p.start is not None and p.end is not None
        m = p.start.replace(day=1)
        while m <= p.end:
            out.add(m)
            m = next_month(m)
    return out
