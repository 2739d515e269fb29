"""The selectors against figures computed here from the world's own waits (conftest.py), on SQLite and, with
ZHIHENG_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from zhiheng.analytics import selectors as s
from zhiheng.analytics import stats
from zhiheng.risk.models import Warning

from .conftest import (
    AFTER_FINANCE,
    AFTER_PURCHASE,
    BEFORE,
    COLLECTIVE_WAIT,
    COSIGN_WAIT,
    OTHER_AFTER,
    OTHER_BEFORE,
    OTHER_REFORM,
    REFORM,
    D,
    H,
    expected,
    figures,
)

ALL = s.Period()
VETOED_WAIT, COSIGNED_WAIT = 1 * D + 1 * H, 5 * H
T_UNIT = [*BEFORE, *AFTER_FINANCE, *AFTER_PURCHASE, COLLECTIVE_WAIT, VETOED_WAIT, COSIGNED_WAIT]


def ids(aw) -> list[int]:
    return [aw.unit.pk, aw.other_unit.pk]


def by_key(rows) -> dict[str, tuple]:
    return {r.key: figures(r.latency) for r in rows}


def test_latency_by_unit_deputy_category_and_district(aw):
    assert by_key(s.latency_by(ids(aw), ALL, "unit")) == {
        "t-unit": expected(T_UNIT),
        "t-other": expected([*OTHER_BEFORE, *OTHER_AFTER]),
    }
    # The deputy in charge at submission: the collective decision counts for its deputy in charge.
    assert by_key(s.latency_by(ids(aw), ALL, "deputy")) == {
        "t-principal": expected(BEFORE),
        "t-deputy": expected([*AFTER_FINANCE, COLLECTIVE_WAIT, VETOED_WAIT]),
        "t-deputy2": expected([*AFTER_PURCHASE, COSIGNED_WAIT]),
        "t-other-principal": expected([*OTHER_BEFORE, *OTHER_AFTER]),
    }
    rows = s.latency_by(ids(aw), ALL, "category")
    assert by_key(rows) == {
        "finance": expected(
            [*BEFORE, *AFTER_FINANCE, COLLECTIVE_WAIT, VETOED_WAIT, *OTHER_BEFORE, *OTHER_AFTER]
        ),
        "procurement": expected([*AFTER_PURCHASE, COSIGNED_WAIT]),
    }
    assert {r.key: r.label for r in rows} == {"finance": "财务", "procurement": "采购"}
    assert by_key(s.latency_by(ids(aw), ALL, "district")) == {
        "testdistrict": expected([*T_UNIT, *OTHER_BEFORE, *OTHER_AFTER])
    }


def test_the_period_filters_on_the_submission_day(aw):
    march = s.Period(dt.date(2012, 3, 1), dt.date(2012, 3, 31))
    assert by_key(s.latency_by(ids(aw), march, "unit")) == {"t-unit": expected(AFTER_FINANCE)}
    # Inclusive ends, Shanghai days: the last finance matter was submitted on 14 March at 10:00.
    assert by_key(s.latency_by(ids(aw), s.Period(dt.date(2012, 3, 14), dt.date(2012, 3, 14)), "unit")) == {
        "t-unit": expected(AFTER_FINANCE[3:])
    }
    assert s.latency_by(ids(aw), s.Period(dt.date(2014, 1, 1), None), "unit") == []


def test_before_and_after_each_units_reform_and_pilot_vs_non_pilot(aw):
    assert s.reform_dates(ids(aw)) == {aw.unit.pk: REFORM, aw.other_unit.pk: OTHER_REFORM}
    result = s.before_after([aw.unit, aw.other_unit], ALL)
    (unit, reform, mine), (other, other_reform, theirs) = result.per_unit
    assert (unit, reform, other, other_reform) == (aw.unit, REFORM, aw.other_unit, OTHER_REFORM)
    assert figures(mine.before) == expected(BEFORE)
    assert figures(mine.after) == expected(
        [*AFTER_FINANCE, *AFTER_PURCHASE, COLLECTIVE_WAIT, VETOED_WAIT, COSIGNED_WAIT]
    )
    # Matters and amounts count every submitted matter, the open one too.
    assert (mine.count_before, mine.amount_before) == (4, Decimal("4000.00"))
    assert (mine.count_after, mine.amount_after) == (11, Decimal("92500.00"))
    assert figures(theirs.before) == expected(OTHER_BEFORE)
    assert figures(theirs.after) == expected(OTHER_AFTER)
    assert figures(result.overall.before) == expected([*BEFORE, *OTHER_BEFORE])
    assert result.pilot == mine and result.non_pilot == theirs  # t-unit is the pilot
    # One unit alone: no pilot comparison.
    assert s.before_after([aw.unit], ALL).pilot is None


def test_waits_per_signer_from_the_history_slowest_first(aw):
    waits = {w.username: w for w in s.signer_waits(ids(aw), ALL)}
    assert figures(waits["t-principal"].latency) == expected(BEFORE)
    assert figures(waits["t-deputy"].latency) == expected([*AFTER_FINANCE, VETOED_WAIT])  # not the meeting's
    assert figures(waits["t-deputy2"].latency) == expected([*AFTER_PURCHASE, COSIGNED_WAIT])
    assert figures(waits["t-inspector"].latency) == expected([COSIGN_WAIT])
    assert (waits["t-inspector"].decisions, waits["t-inspector"].cosigns) == (0, 1)
    medians = [w.latency.median_days for w in s.signer_waits(ids(aw), ALL)]
    assert medians == sorted(medians, reverse=True)


def test_months_hold_matters_collective_decisions_dissent_and_vetoes(aw):
    months = {m.month: m for m in s.monthly([aw.unit.pk], ALL)}
    may = months[dt.date(2012, 5, 1)]
    assert figures(may.latency) == expected([COLLECTIVE_WAIT, VETOED_WAIT, COSIGNED_WAIT])
    assert (may.matters, may.amount, may.collective, may.vetoes) == (4, Decimal("83000.00"), 1, 1)
    # The sealed meeting's two decided items and its two 不同意; the open meeting's are not counted yet.
    assert (may.meeting_decisions, may.dissent, may.items_with_dissent) == (2, 2, 1)
    assert figures(months[dt.date(2012, 3, 1)].latency) == expected(AFTER_FINANCE)


def test_warnings_raised_and_resolved_per_month(aw):
    rows = s.warnings_monthly(Warning.objects.all(), [aw.unit.pk], ALL)
    assert [(r.month, r.raised, r.resolved) for r in rows] == [
        (dt.date(2012, 5, 1), 2, 0),
        (dt.date(2012, 6, 1), 0, 1),
    ]
    assert s.warnings_monthly(Warning.objects.none(), [aw.unit.pk], ALL) == []


def test_a_page_of_figures_costs_the_same_queries_for_one_unit_or_two(aw):
    def count(units) -> int:
        with CaptureQueriesContext(connection) as ctx:
            s.before_after(units, ALL)
            s.monthly([u.pk for u in units], ALL)
            s.signer_waits([u.pk for u in units], ALL)
        return len(ctx.captured_queries)

    # (t-other has no plan: its reform date is read from its policy, one query more whatever the number.)
    assert count([aw.other_unit]) == count([aw.unit, aw.other_unit])


@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=2, max_size=60))
def test_histogram_quantiles_equal_the_textbook_ones(values):
    histogram = stats.merged([{v: 1} for v in values])
    for q, n_th in ((0.5, None), (0.9, 8)):
        want = (
            statistics.median(values)
            if n_th is None
            else statistics.quantiles(values, n=10, method="inclusive")[n_th]
        )
        assert abs(stats.quantile(histogram, q) - want) < 1e-9


def test_an_empty_histogram_has_no_median():
    assert stats.latency({}) == stats.Latency(0, None, None)
    assert stats.latency({35: 1}) == stats.Latency(1, 3.5, 3.5)
