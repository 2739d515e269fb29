"""The analytics figures as the pages computed them before the monthly roll-up (issue 15): every matter of
the scope grouped on each request. Kept as the tests' oracle — the roll-up must give the same numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When

from zhiheng.analytics import stats
from zhiheng.analytics.selectors import (
    BeforeAfter,
    LatencyRow,
    Month,
    Side,
    SignerWait,
    _labels,
    pilot_unit_ids,
)
from zhiheng.analytics.sources import (
    DECIDED_ITEM,
    Period,
    TenthsOfDay,
    decided,
    histograms,
    month_key,
    month_of,
    reform_dates,
    submitted,
)
from zhiheng.analytics.stats import Histogram
from zhiheng.core import clock
from zhiheng.matters.models import Cosign, MatterEvent
from zhiheng.matters.states import MatterState
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.org.models import Unit


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


KEY_FIELDS = {
    "unit": "unit_id",
    "deputy": "deputy_id",
    "category": "category",
    "district": "unit__district_id",
}


def latency_by(unit_ids: Iterable[int], period: Period, by: str) -> list[LatencyRow]:
    hists = histograms(decided(unit_ids, period), KEY_FIELDS[by])
    names = _labels(by, hists)
    rows = [
        LatencyRow(*names.get(key, (str(key), str(key))), stats.latency(hist)) for key, hist in hists.items()
    ]
    return sorted(rows, key=lambda r: r.key)


def _side(hist_before: Histogram, hist_after: Histogram, counts: Mapping[bool, tuple[int, Decimal]]) -> Side:
    nb, ab = counts.get(False, (0, Decimal(0)))
    na, aa = counts.get(True, (0, Decimal(0)))
    return Side(stats.latency(hist_before), stats.latency(hist_after), nb, na, ab, aa)


def before_after(units: list[Unit], period: Period) -> BeforeAfter:
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
        frozenset(pilots),
    )


def monthly(unit_ids: Iterable[int], period: Period) -> list[Month]:
    ids = list(unit_ids)
    hists = {month_key(k): h for k, h in histograms(decided(ids, period), month_of("submitted_at")).items()}
    rows: dict[dt.date, dict[str, Any]] = defaultdict(dict)
    for row in (
        submitted(ids, period)
        .annotate(m=month_of("submitted_at"))
        .values("m")
        .annotate(
            n=Count("*"),
            amount=Sum("amount"),
            collective=Count("pk", filter=Q(decided_at__isnull=False, decided_by__isnull=True)),
        )
        .order_by()
    ):
        rows[month_key(row["m"])].update(
            matters=row["n"], amount=row["amount"] or Decimal(0), collective=row["collective"]
        )
    for row in (
        MatterEvent.objects.filter(matter__unit_id__in=ids, action="vetoed")
        .filter(period.on("at"))
        .annotate(m=month_of("at"))
        .values("m")
        .annotate(n=Count("*"))
        .order_by()
    ):
        rows[month_key(row["m"])]["vetoes"] = row["n"]
    for row in (
        Item.objects.filter(meeting__unit_id__in=ids, meeting__state=MeetingState.SEALED)
        .filter(period.on_date("meeting__date"))
        .annotate(m=month_of("meeting__date", date=True))
        .values("m")
        .annotate(
            decided=Count("pk", filter=Q(decision__in=DECIDED_ITEM)),
            dissent=Sum("disagree"),
            with_dissent=Count("pk", filter=Q(disagree__gt=0)),
        )
        .order_by()
    ):
        rows[month_key(row["m"])].update(
            meeting_decisions=row["decided"],
            dissent=row["dissent"] or 0,
            items_with_dissent=row["with_dissent"],
        )
    months = sorted(set(rows) | set(hists))
    empty: Histogram = Counter()
    return [Month(m, stats.latency(hists.get(m, empty)), **rows.get(m, {})) for m in months]


def signer_waits(unit_ids: Iterable[int], period: Period) -> list[SignerWait]:
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
