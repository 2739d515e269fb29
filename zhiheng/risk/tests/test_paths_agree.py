"""The two ways red flags fire agree (issue 15): the event path (each ledger entry judged on the records it
touched) and the full scan, on one history made through the real services, find the same warnings — and
raising both gives one warning per finding, whatever the order. The scan's two engines agree too: the
columnar one (SQL in DuckDB over a copy of the database, decision 0023) finds, for every rule it judges,
exactly the findings of the per-unit Python indicators — same sources, explanations and records — on
SQLite and on PostgreSQL (ZHIHENG_TEST_DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from zhiheng.core import clock
from zhiheng.ledger.dispatch import Recorded
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.parameters.tests.factories import put
from zhiheng.risk import columnar
from zhiheng.risk.models import Warning
from zhiheng.risk.redflags import engine

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 3)
VENDORS = ["山城办公用品商行", "江南印务有限公司", "城东电脑耗材经营部"]
PURPOSES = ["办公桌椅采购", "打印纸", "电脑耗材", "绿化养护服务"]
# Small samples in a test world: the guards lowered for this unit (the thresholds are parameters).
LOW_GUARDS = {
    "rf4_min_matters": 3,
    "rf4_min_total": "10000.00",
    "rf7_min_samples": 5,
    "rf9_min_n": 5,
    "rf10_min_n": 30,
}


def generate(mw, seed: int, n: int = 45) -> None:
    """A random quarter of matters: sub-threshold purchases and expenditures from a few vendors and
    purposes (some hugging the threshold), some approved after a random wait, some left waiting."""
    rng = random.Random(seed)
    put("risk", unit=mw.unit, values=LOW_GUARDS)
    for i in range(n):
        day = START + dt.timedelta(days=rng.randrange(0, 80))
        procurement = rng.random() < 0.7
        amount = rng.choice(
            [Decimal(rng.randrange(45000, 49999)), Decimal(rng.randrange(1000, 30000)), Decimal(60000)]
        )
        with clock.frozen(clock.at(day, 9, i % 50)):
            m = matters.submit(
                by=mw.staff,
                unit=mw.unit,
                power=mw.power["procurement" if procurement else "finance"],
                title=f"{rng.choice(PURPOSES)}（第{i}批）",
                amount=f"{amount}.00",
                counterparty=rng.choice(VENDORS),
                budget_line=mw.big,
            )
        wait = rng.choice([0, 0, 1, 1, 2, 30, None])
        if m.state == "submitted" and not m.requires_collective and wait is not None:
            with clock.frozen(clock.at(day + dt.timedelta(days=wait), 16)):
                matters.approve(matter=m, by=mw.deputy2 if procurement else mw.deputy, comment="同意")


def keys(findings, *, event_rules_only: bool = False) -> set[tuple[str, str, str]]:
    """The findings as warnings are keyed; with `event_rules_only`, without what only the scan judges."""
    return {
        (f.rule, f.subject, f.source)
        for f in findings
        if not (
            event_rules_only
            and (f.rule in engine.SCAN_ONLY or f"{f.rule}:{f.key.split(':')[0]}" in engine.SCAN_ONLY)
        )
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_event_path_and_the_scan_find_the_same_warnings(mw, seed):
    generate(mw, seed)
    now = clock.at(START + dt.timedelta(days=120), 12)
    with clock.frozen(now):
        by_events = keys(
            f for e in Entry.objects.order_by("index") for f in engine.entry_findings(Recorded.of(e))
        )
        scanned = engine.scan_findings(as_of=now)
    assert by_events == keys(scanned, event_rules_only=True)
    assert {rule for rule, _s, _src in by_events} >= {"RF2", "RF7"}, "the history splits purchases and waits"
    # The annual aggregates are the scan's alone (engine.SCAN_ONLY).
    assert {f.rule for f in scanned} - {rule for rule, _s, _src in by_events} <= {"RF4", "RF9", "RF10"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_columnar_scan_and_the_python_indicators_find_the_same_warnings(mw, seed):
    generate(mw, seed, n=60)
    now = clock.at(START + dt.timedelta(days=120), 12)
    with clock.frozen(now):
        python = engine.scan_findings(as_of=now, engine="python")
        found = engine.scan_findings(as_of=now)
    assert sorted(found, key=lambda f: f.source) == sorted(python, key=lambda f: f.source)
    assert {f.rule for f in found} & set(columnar.RULES) >= {"RF2", "RF7"}, "it splits purchases and waits"


def test_both_paths_raise_one_warning_per_finding_and_a_rescan_raises_nothing(mw):
    generate(mw, 2)
    now = clock.at(START + dt.timedelta(days=120), 12)
    with clock.frozen(now):
        for e in Entry.objects.order_by("index"):
            engine.on_entry(Recorded.of(e))
        after_events = Warning.objects.count()
        scan_only = len([f for f in engine.scan_findings(as_of=now) if f.rule in engine.SCAN_ONLY])
        scanned = engine.scan(as_of=now)
        assert scanned == scan_only and Warning.objects.count() == after_events + scan_only > scan_only
        assert engine.scan(as_of=now) == 0
    sources = list(Warning.objects.values_list("source", flat=True))
    assert len(sources) == len(set(sources)) and all(s.startswith("scan:") for s in sources)
    # Each warning is owned by the unit inspector and recorded once in the ledger.
    assert set(Warning.objects.values_list("owner__username", flat=True)) == {mw.inspector.username}
    assert Entry.objects.filter(event_type="risk.warning_raised").count() == Warning.objects.count()


def test_a_split_purchase_raises_its_warning_when_the_second_part_is_submitted(
    mw, django_capture_on_commit_callbacks
):
    def submit(day: int, amount: str):
        with (
            clock.frozen(clock.at(START + dt.timedelta(days=day), 10)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return matters.submit(
                by=mw.staff,
                unit=mw.unit,
                power=mw.power["procurement"],
                title="电脑耗材",
                amount=amount,
                counterparty=VENDORS[2],
                budget_line=mw.big,
            )

    submit(0, "30000.00")
    assert not Warning.objects.filter(rule="RF2").exists()
    second = submit(12, "25000.00")
    warning = Warning.objects.get(rule="RF2")
    assert (warning.subject, warning.source) == (second.subject, f"scan:rf2:t-unit:{second.pk}")
    assert "合计 ¥55,000.00" in warning.explanation and len(warning.records) == 2
    with clock.frozen(clock.at(START + dt.timedelta(days=13), 10)):
        assert engine.scan() == 0  # the nightly scan finds it again and raises nothing new
    submit(50, "30000.00")  # 38 days after the second: a new window, under the threshold alone
    assert Warning.objects.filter(rule="RF2").count() == 1
