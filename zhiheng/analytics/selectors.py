"""Effectiveness analytics (SPEC §11): what a scope of units did in a period, and how fast.

Every figure is a GROUP BY in the database (PostgreSQL and SQLite alike); nothing walks the matters one by
one. Latency — submitted → decided — is grouped by (key, wait in tenths of a day) and the medians and 90th
percentiles are computed from those histograms (stats.py), so a page reads a few thousand rows however
many matters the district holds, and a constant number of queries whatever the number of units.

The reform date of a unit is the in-force date of its first filed division plan 分工方案 (R-DIV-5: the day
its deputies took over the restricted powers), or, for a unit that never filed one, of its first policy
(R-ORG-3). A matter is "before" when it was submitted before that day. A pilot unit is one the commission
marked as such (parameters.py: org and powers know no pilots until issue 18).

Periods are inclusive Shanghai dates on the submission day; meetings count by their date, vetoes and
warnings by when they happened.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
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
    Value,
    When,
)

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.matters.models import Cosign, Matter, MatterEvent
from zhiheng.matters.states import MatterState
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.org.models import District, Unit
from zhiheng.parameters.selectors import units_setting
from zhiheng.powers.models import Category, DivisionPlan, PlanStatus, UnitPolicy
from zhiheng.risk.models import Warning

from . import stats
from .parameters import NAMESPACE
from .stats import Histogram, Latency

GROUPINGS = ("unit", "deputy", "category", "district")
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
    output_field = CharField()  # SQLite answers ISO text, PostgreSQL a date: _month_key reads both

    def __init__(self, expression: Any, *, date: bool = False) -> None:
        super().__init__(expression)
        self.date = date

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # The format is a parameter: a literal % in the SQL would break every later `sql % params`.
        sql, params = compiler.compile(self.source_expressions[0])
        shift = "" if self.date else ", '+8 hours'"
        return f"strftime(%s, {sql}{shift})", ["%Y-%m-01", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = "" if self.date else " AT TIME ZONE 'Asia/Shanghai'"
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(date_trunc('month', %(expressions)s{zone}) AS date)",
            **extra,
        )


def _month(field: str, *, date: bool = False) -> ShanghaiMonth:
    return ShanghaiMonth(F(field), date=date)


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


# ---------------------------------------------------------------- reform dates and pilots


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


def after_reform(reforms: Mapping[int, dt.date], field: str = "submitted_at") -> Case | Value:
    """True for a row of a unit whose reform date had come when `field` happened; one WHEN per date."""
    units_by_day: dict[dt.date, list[int]] = defaultdict(list)
    for unit_id, day in reforms.items():
        units_by_day[day].append(unit_id)
    if not units_by_day:
        return Value(False, output_field=BooleanField())
    whens = [
        When(Q(unit_id__in=ids) & Q(**{f"{field}__gte": clock.at(day, 0)}), then=Value(True))
        for day, ids in sorted(units_by_day.items())
    ]
    return Case(*whens, default=Value(False), output_field=BooleanField())


def pilot_unit_ids(unit_ids: Iterable[int]) -> set[int]:
    """The units the commission marked as pilot units (parameters.py), among these."""
    ids = set(unit_ids)
    return {pk for pk in units_setting(NAMESPACE, "pilot", True) if pk in ids}


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
            p.pk: (p.username, p.name or p.username)
            for p in Person.objects.filter(pk__in=ids).only("username", "name")
        }
    names = dict(Category.objects.filter(code__in=ids).values_list("code", "name"))
    return {k: (k or "", names.get(k, k) or "") for k in keys}


KEY_FIELDS = {
    "unit": "unit_id",
    "deputy": "deputy_id",
    "category": "category",
    "district": "unit__district_id",
}


def latency_by(unit_ids: Iterable[int], period: Period, by: str) -> list[LatencyRow]:
    """Latency submitted → decided of the decided matters, per unit, deputy in charge, category or
    district, ordered by key."""
    if by not in KEY_FIELDS:
        raise ValueError(f"unknown grouping {by!r}")
    hists = histograms(decided(unit_ids, period), KEY_FIELDS[by])
    names = _labels(by, hists)
    rows = [
        LatencyRow(*names.get(key, (str(key), str(key))), stats.latency(hist)) for key, hist in hists.items()
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


def _side(hist_before: Histogram, hist_after: Histogram, counts: Mapping[bool, tuple[int, Decimal]]) -> Side:
    nb, ab = counts.get(False, (0, Decimal(0)))
    na, aa = counts.get(True, (0, Decimal(0)))
    return Side(stats.latency(hist_before), stats.latency(hist_after), nb, na, ab, aa)


def before_after(units: list[Unit], period: Period) -> BeforeAfter:
    """Each unit before and after its reform date, all of them together, and pilot vs non-pilot units:
    two GROUP BY queries (waits; counts and amounts) over the scope, whatever its size."""
    ids = [u.pk for u in units]
    reforms = reform_dates(ids)
    side = after_reform(reforms)
    hists = histograms(decided(ids, period), "unit_id", side)
    counts: dict[int, dict[bool, tuple[int, Decimal]]] = defaultdict(dict)
    for row in (
        submitted(ids, period)
        .annotate(after=side)
        .values("unit_id", "after")
        .annotate(n=Count("*"), amount=Sum("amount"))
        .order_by()
    ):
        counts[row["unit_id"]][bool(row["after"])] = (row["n"], row["amount"] or Decimal(0))
    empty: Histogram = Counter()

    def group(members: Iterable[int]) -> Side:
        members = list(members)
        merged_counts: dict[bool, tuple[int, Decimal]] = {}
        for after in (False, True):
            parts = [counts[u].get(after, (0, Decimal(0))) for u in members]
            merged_counts[after] = (sum(p[0] for p in parts), sum((p[1] for p in parts), Decimal(0)))
        return _side(
            stats.merged(hists.get((u, False), empty) for u in members),
            stats.merged(hists.get((u, True), empty) for u in members),
            merged_counts,
        )

    per_unit = [(u, reforms.get(u.pk), group([u.pk])) for u in units]
    pilots = pilot_unit_ids(ids)
    mixed = bool(pilots) and len(pilots) < len(ids)
    return BeforeAfter(
        per_unit,
        group(ids),
        group(pilots) if mixed else None,
        group(set(ids) - pilots) if mixed else None,
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


def _month_key(value: Any) -> dt.date:
    """A month as ShanghaiMonth returns it: a date (PostgreSQL) or its ISO text (SQLite)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.replace(day=1)  # type: ignore[no-any-return]


def monthly(unit_ids: Iterable[int], period: Period) -> list[Month]:
    """Per month of submission: latency, matters and amounts, collective decisions; per month of the event:
    vetoes, meeting items decided and dissent (不同意 positions in sealed minutes). Five queries."""
    ids = list(unit_ids)
    hists = {_month_key(k): h for k, h in histograms(decided(ids, period), _month("submitted_at")).items()}
    rows: dict[dt.date, dict[str, Any]] = defaultdict(dict)
    for row in (
        submitted(ids, period)
        .annotate(m=_month("submitted_at"))
        .values("m")
        .annotate(
            n=Count("*"),
            amount=Sum("amount"),
            collective=Count("pk", filter=Q(decided_at__isnull=False, decided_by__isnull=True)),
        )
        .order_by()
    ):
        rows[_month_key(row["m"])].update(
            matters=row["n"], amount=row["amount"] or Decimal(0), collective=row["collective"]
        )
    for row in (
        MatterEvent.objects.filter(matter__unit_id__in=ids, action="vetoed")
        .filter(period.on("at"))
        .annotate(m=_month("at"))
        .values("m")
        .annotate(n=Count("*"))
        .order_by()
    ):
        rows[_month_key(row["m"])]["vetoes"] = row["n"]
    for row in (
        Item.objects.filter(meeting__unit_id__in=ids, meeting__state=MeetingState.SEALED)
        .filter(period.on_date("meeting__date"))
        .annotate(m=_month("meeting__date", date=True))
        .values("m")
        .annotate(
            decided=Count("pk", filter=Q(decision__in=DECIDED_ITEM)),
            dissent=Sum("disagree"),
            with_dissent=Count("pk", filter=Q(disagree__gt=0)),
        )
        .order_by()
    ):
        rows[_month_key(row["m"])].update(
            meeting_decisions=row["decided"],
            dissent=row["dissent"] or 0,
            items_with_dissent=row["with_dissent"],
        )
    months = sorted(set(rows) | set(hists))
    empty: Histogram = Counter()
    return [Month(m, stats.latency(hists.get(m, empty)), **rows.get(m, {})) for m in months]


@dataclass(frozen=True)
class SignerWait:
    username: str
    name: str
    decisions: int  # matters decided alone
    cosigns: int
    latency: Latency


def signer_waits(unit_ids: Iterable[int], period: Period) -> list[SignerWait]:
    """How long matters waited for each signer, from the matters' history: for the one who decided alone,
    submitted → decided; for a co-signer (R-MAT-4), from the matter's entering 待会签 to the signature.
    Slowest (median) first."""
    ids = list(unit_ids)
    alone = histograms(decided(ids, period).filter(decided_by__isnull=False), "decided_by_id")
    awaiting_since = (
        MatterEvent.objects.filter(matter=OuterRef("matter"), state=MatterState.AWAITING_COSIGN)
        .order_by("at")
        .values("at")[:1]
    )
    cosigned = histograms(
        Cosign.objects.filter(matter__unit_id__in=ids, signed_at__isnull=False)
        .filter(period.on("matter__submitted_at"))
        .annotate(since=Subquery(awaiting_since))
        .filter(since__isnull=False)
        .order_by(),
        "signer_id",
        wait=TenthsOfDay(F("signed_at"), F("since")),
    )
    names = _labels("signer", set(alone) | set(cosigned))
    empty: Histogram = Counter()
    out = []
    for pk in set(alone) | set(cosigned):
        a, c = alone.get(pk, empty), cosigned.get(pk, empty)
        username, name = names.get(pk, (str(pk), str(pk)))
        out.append(
            SignerWait(username, name, sum(a.values()), sum(c.values()), stats.latency(stats.merged((a, c))))
        )
    return sorted(out, key=lambda w: (-(w.latency.median_days or 0), w.username))


@dataclass(frozen=True)
class WarningMonth:
    month: dt.date
    raised: int
    resolved: int


def warnings_monthly(
    visible: QuerySet[Warning], unit_ids: Iterable[int], period: Period
) -> list[WarningMonth]:
    """Warnings raised and resolved per month, among those the viewer may see (`visible`)."""
    qs = visible.filter(unit_id__in=list(unit_ids)).order_by()
    raised = Counter(
        {
            _month_key(r["m"]): r["n"]
            for r in qs.filter(period.on("created"))
            .annotate(m=_month("created"))
            .values("m")
            .annotate(n=Count("*"))
        }
    )
    resolved = Counter(
        {
            _month_key(r["m"]): r["n"]
            for r in qs.filter(resolved_at__isnull=False)
            .filter(period.on("resolved_at"))
            .annotate(m=_month("resolved_at"))
            .values("m")
            .annotate(n=Count("*"))
        }
    )
    return [WarningMonth(m, raised[m], resolved[m]) for m in sorted(set(raised) | set(resolved))]
