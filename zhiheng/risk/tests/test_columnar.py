"""The columnar scan (SQL in DuckDB, `risk.columnar`) finds exactly what the indicators find (issue 15):
over random small histories of a few units — ties at one instant, parts exactly a window apart, names
written two ways, near-duplicate purposes, amounts at and around the thresholds, open and closed waits,
lines declared or not, decisions sealed or not — the same findings, with the same keys, sources,
explanations and records. No database: both engines judge the same plain values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiheng.risk import columnar
from zhiheng.risk.indicators import MatterFact, Thresholds, WaitFact, rf2, rf4, rf5, rf7, rf8, rf9, rf10

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2025, 12, 1, 9, tzinfo=SHANGHAI)
AS_OF = dt.datetime(2026, 6, 1, 12, tzinfo=SHANGHAI)
UNITS = ["u-1", "u-2"]
PARTIES = ["山城办公用品商行", "山城 办公用品商行", "江南印务有限公司", "ABC Ltd", "abc ltd.", ""]
TITLES = [
    "办公桌椅采购",
    "办公桌椅采购（第2批）",
    "办公桌椅采购3",
    "办公桌椅购置",
    "打印纸",
    "打印纸张",
    "（备注）",
    "电脑耗材",
]
AMOUNTS = [None, 0, 1, 9, 10, 999, 4000, 9000, 20000, 25000, 30000, 44999, 45000, 47000, 49999, 50000, 60000]
AMOUNTS += [170000, 185000, 199999, 200000, 350000]
STATES = ["submitted", "approved", "executed", "awaiting_cosign", "rejected", "withdrawn"]
LOW = Thresholds(
    rf4_min_matters=3,
    rf4_min_total=Decimal("10000"),
    rf7_min_samples=3,
    rf9_min_n=3,
    rf9_alpha=0.2,
    rf10_min_n=5,
    rf10_mad=0.05,
)
# A second unit with its own thresholds (the per-unit table `th`), as a parameter override gives it.
OWN = Thresholds(collective_threshold=Decimal("40000"), rf2_window_days=10, rf4_share=0.4, rf7_factor=2.0)


@st.composite
def histories(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    matters, waits = [], []
    for i in range(1, n + 1):
        unit = draw(st.sampled_from(UNITS))
        # Whole days, a few hours and minutes: ties at one instant and parts exactly 10 or 30 days apart.
        at = START + dt.timedelta(
            days=draw(st.integers(0, 400)),
            hours=draw(st.sampled_from([0, 0, 3])),
            minutes=draw(st.sampled_from([0, 1])),
        )
        amount = draw(st.sampled_from(AMOUNTS))
        state = draw(st.sampled_from(STATES))
        decided = (
            at + dt.timedelta(days=draw(st.sampled_from([0, 1, 2, 3, 10, 40])))
            if state != "submitted"
            else None
        )
        collective = draw(st.booleans()) and amount is not None and amount >= 50000
        m = MatterFact(
            id=i,
            unit=unit,
            kind=draw(st.sampled_from(["purchase", "purchase", "expenditure", "personnel"])),
            title=draw(st.sampled_from(TITLES)),
            amount=None if amount is None else Decimal(amount),
            counterparty=draw(st.sampled_from(PARTIES)),
            submitted_at=at,
            state=state,
            deputy="dep",
            decided_at=decided,
            decided_by="dep" if decided else "",
            budget_line=draw(st.sampled_from(["", "L1", "L2", "L9"])),
            requires_collective=collective,
            decision_ref=draw(st.sampled_from(["", "meeting:1/item:1", "meeting:2/item:5"]))
            if collective
            else "",
        )
        matters.append(m)
        if not collective and (decided is not None or state == "submitted"):
            waits.append(WaitFact(m.id, unit, "dep", "decide", at, decided, m.title, "副职甲"))
    lines = [
        (u, code, Decimal(draw(st.sampled_from([1000, 50000, 100000]))), draw(st.sampled_from([None, 2026])))
        for u in UNITS
        for code in ("L1", "L2")
        if draw(st.booleans())
    ]
    sealed = [(u, "meeting:1/item:1") for u in UNITS if draw(st.booleans())]
    return matters, waits, lines, sealed


def by_indicators(matters, waits, lines, sealed, thresholds):
    found = []
    for unit in UNITS:
        t = thresholds.get(unit, LOW)
        mine = sorted((m for m in matters if m.unit == unit), key=lambda m: m.order)
        unit_lines = {code: amount for u, code, amount, _y in lines if u == unit}
        years = {y for u, _c, _a, y in lines if u == unit}
        found += [
            *rf2.find(mine, t),
            *rf4.find(mine, t),
            *rf9.find(mine, t),
            *rf10.find(mine, t),
            *rf5.outside_meeting(mine, {ref for u, ref in sealed if u == unit}),
            *rf7.find([w for w in waits if w.unit == unit], t, as_of=AS_OF),
            *rf8.find(mine, unit_lines, budget_years=years),
        ]
    return found


def by_columnar(matters, waits, lines, sealed, thresholds):
    con = columnar.connect(matters, waits, lines, sealed)
    scan = columnar.Columnar(
        con, as_of=AS_OF.replace(tzinfo=None), thresholds=thresholds, default=LOW, tz=SHANGHAI
    )
    counts = scan.select()
    found = scan.findings()
    assert sum(counts.values()) == len(found) and scan.sources() == {f.source for f in found}
    return found, scan


def keyed(findings):
    out = defaultdict(list)
    for f in findings:
        out[f.source].append(f)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.booleans())
def test_the_columnar_scan_finds_exactly_what_the_indicators_find(history, own_thresholds):
    thresholds = {"u-2": OWN} if own_thresholds else {}
    expected = keyed(by_indicators(*history, thresholds))
    found, scan = by_columnar(*history, thresholds)
    assert keyed(found) == expected
    # What was already raised is selected but not built again.
    known = list(expected)[: len(expected) // 2]
    assert {f.source for f in scan.findings(known=known)} == set(expected) - set(known)


def test_a_split_with_a_tie_at_one_instant_and_a_part_exactly_a_window_before():
    at = START
    parts = [
        (1, at, 20000, "甲公司"),
        (2, at + dt.timedelta(days=30), 15000, "甲公司"),  # exactly 30 days later: the first is in its window
        (3, at + dt.timedelta(days=30), 20000, "甲 公司"),  # the same instant, a later id: crosses
        (4, at + dt.timedelta(days=30), 1000, "甲公司"),  # already crossed
    ]
    matters = [
        MatterFact(
            id=i,
            unit="u-1",
            kind="purchase",
            title=f"用途{i}",
            amount=Decimal(a),
            counterparty=c,
            submitted_at=t,
        )
        for i, t, a, c in parts
    ]
    expected = keyed(by_indicators(matters, [], [], [], {}))
    found, _scan = by_columnar(matters, [], [], [], {})
    assert keyed(found) == expected
    assert [f.key for f in found if f.rule == "RF2"] == ["3"]


def test_similar_purposes_feed_each_other():
    titles = ["办公桌椅采购", "办公桌椅购置采购", "打印纸"]
    matters = [
        MatterFact(
            id=i,
            unit="u-1",
            kind="purchase",
            title=title,
            amount=Decimal(30000 if i < 3 else 40000),
            counterparty=f"相对方{i}",
            submitted_at=START + dt.timedelta(days=i),
        )
        for i, title in enumerate(titles, 1)
    ]
    assert rf2.similar(*sorted(columnar.normalise_title(t) for t in titles[:2]), 0.8)
    found, _scan = by_columnar(matters, [], [], [], {})
    assert keyed(found) == keyed(by_indicators(matters, [], [], [], {}))
    assert [(f.rule, f.key) for f in found if f.rule == "RF2"] == [("RF2", "2")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), histories(), st.data(), st.booleans(), st.booleans())
def test_the_incremental_scan_finds_what_a_full_scan_of_the_changed_history_finds(
    before, other, data, own_thresholds, thresholds_change
):
    """A mirror judged once, then some of its matters changed (amount, state, time, names: another
    history's row of the same id), added or gone (`columnar.replace`): the scan that judges again only the
    RF2 streams those matters fed finds exactly what a full scan of the history after the change finds."""
    matters, waits, lines, sealed = before
    first = {"u-2": OWN} if own_thresholds else {}
    second = ({} if own_thresholds else {"u-2": OWN}) if thresholds_change else first
    con = columnar.connect(matters, waits, lines, sealed)
    columnar.Columnar(
        con, as_of=AS_OF.replace(tzinfo=None), thresholds=first, default=LOW, tz=SHANGHAI
    ).select()

    mine = {m.id: m for m in matters}
    theirs = {m.id: m for m in other[0]}
    after, changed = dict(mine), set()
    for pk in sorted(set(mine) | set(theirs)):
        choice = data.draw(st.sampled_from(["keep", "keep", "take", "drop"]))
        if choice == "take" and pk in theirs:
            after[pk] = theirs[pk]
            changed.add(pk)
        elif choice == "drop" and pk in mine:
            del after[pk]
            changed.add(pk)
    after_waits = [w for w in waits if w.matter in after and w.matter not in changed]
    new_waits = [w for w in other[1] if w.matter in changed and w.matter in after]
    columnar.replace(con, changed, [after[pk] for pk in changed if pk in after], new_waits)
    again = columnar.Columnar(
        con, as_of=AS_OF.replace(tzinfo=None), thresholds=second, default=LOW, tz=SHANGHAI
    )
    again.select()
    assert again.rf2_judged is None if thresholds_change else again.rf2_judged is not None

    history = (list(after.values()), after_waits + new_waits, lines, sealed)
    expected = keyed(by_indicators(*history, second))
    assert keyed(again.findings()) == expected
    found, _scan = by_columnar(*history, second)
    assert keyed(found) == expected


def test_a_change_judges_again_the_streams_of_similar_purposes_it_fed():
    """The part of a similar purpose feeds the other purpose's stream: when it changes (or appears), that
    stream is judged again, though none of its own parts changed."""

    def part(i, title, amount, day):
        return MatterFact(
            id=i,
            unit="u-1",
            kind="purchase",
            title=title,
            amount=Decimal(amount),
            counterparty=f"相对方{i}",
            submitted_at=START + dt.timedelta(days=day),
        )

    a, b = "办公桌椅采购", "办公桌椅购置采购"
    before = [part(1, b, 30000, 2), part(2, a, 25000, 3)]
    con = columnar.connect(before)
    first = columnar.Columnar(con, as_of=AS_OF.replace(tzinfo=None), default=LOW, tz=SHANGHAI)
    first.select()
    assert {f.key for f in first.findings() if f.rule == "RF2"} == {"2"}  # fed by b's part
    for change in ([part(1, b, 1000, 2)], [part(1, b, 30000, 2), part(3, b, 1000, 1)], []):
        columnar.replace(con, [1, 3], change, [])
        again = columnar.Columnar(con, as_of=AS_OF.replace(tzinfo=None), default=LOW, tz=SHANGHAI)
        again.select()
        after = [*change, before[1]]
        assert keyed(again.findings()) == keyed(by_indicators(after, [], [], [], {}))
        assert again.rf2_judged is not None
