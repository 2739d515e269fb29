"""The monthly roll-up (decision 0022) gives the numbers the pages computed straight from the matters
(oracle.py, the computation before the roll-up): random histories fed to the roll-up by their entries in
any order, again and again, edited afterwards, with a reform date that moves with or without its entry,
then rebuilt from scratch — for the whole history and for periods starting and ending anywhere."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from zhiheng import ledger
from zhiheng.analytics import rollup
from zhiheng.analytics import selectors as s
from zhiheng.analytics.models import MonthlyCell, MonthlyTally, UnitRollup
from zhiheng.core import clock
from zhiheng.ledger.dispatch import Recorded
from zhiheng.matters.models import Cosign, Matter, MatterEvent
from zhiheng.matters.states import MatterState
from zhiheng.meetings.models import Item, Meeting, MeetingState
from zhiheng.powers.models import DivisionPlan, PlanStatus

from . import oracle
from .conftest import _matter

FIRST_DAY = dt.date(2011, 7, 1)
DAYS = 560  # to mid-January 2013
MIN = dt.timedelta(minutes=1)
# Instants where a month, or a unit's reform date (2012-01-02, 2012-06-01), begins, and just before.
EDGES = [
    clock.at(day, 0) + shift
    for day in (dt.date(2012, 1, 1), dt.date(2012, 1, 2), dt.date(2012, 3, 1), dt.date(2012, 6, 1))
    for shift in (dt.timedelta(0), -dt.timedelta(microseconds=1))
]
# Waits that fall on a half tenth of a day (rounding), and a few plain ones.
ROUNDING = [dt.timedelta(minutes=72), dt.timedelta(minutes=216), dt.timedelta(hours=12, minutes=72)]

matters = st.fixed_dictionaries(
    {
        "other": st.booleans(),
        "finance": st.booleans(),
        "at": st.one_of(
            st.integers(0, DAYS * 24 * 60).map(lambda m: clock.at(FIRST_DAY, 0) + m * MIN),
            st.sampled_from(EDGES),
        ),
        "wait": st.one_of(
            st.none(),
            st.integers(0, 60 * 24 * 60).map(lambda m: m * MIN),
            st.sampled_from(ROUNDING),
        ),
        "deputy": st.sampled_from(["principal", "deputy", "deputy2"]),
        "collective": st.integers(0, 5).map(lambda n: n == 0),
        "amount": st.one_of(
            st.none(), st.decimals(0, 99999, places=2, allow_nan=False, allow_infinity=False)
        ),
        "draft": st.integers(0, 7).map(lambda n: n == 0),
        "veto": st.one_of(st.none(), st.integers(0, 40 * 24)),  # hours after the decision
        "cosign": st.one_of(st.none(), st.integers(0, 20 * 24 * 60)),  # minutes after 待会签
    }
)
days = st.integers(0, DAYS).map(lambda n: FIRST_DAY + dt.timedelta(days=n))
periods = st.one_of(
    st.just(s.Period()),
    st.tuples(st.one_of(st.none(), days), st.one_of(st.none(), days)).map(
        lambda p: s.Period(*sorted(p)) if None not in p else s.Period(*p)
    ),
    days.map(lambda d: s.Period(d.replace(day=1), s.Period.month(d.replace(day=1)).end)),
)


def same_figures(aw, period: s.Period) -> None:
    units = [aw.unit, aw.other_unit]
    ids = [u.pk for u in units]
    assert s.before_after(units, period) == oracle.before_after(units, period)
    assert s.monthly(ids, period) == oracle.monthly(ids, period)
    assert s.signer_waits(ids, period) == oracle.signer_waits(ids, period)
    for by in s.GROUPINGS:
        assert s.latency_by(ids, period, by) == oracle.latency_by(ids, period, by), by
    # One page's reads planned once, as the page does.
    reading = s.reading(ids, period)
    assert s.before_after(units, period, reading=reading) == oracle.before_after(units, period)
    assert s.monthly(ids, period, reading=reading) == oracle.monthly(ids, period)


def entry(code: str, subject: str, unit: str = "") -> Recorded:
    return Recorded(
        index=0, code=code, unit=unit, district="", subject=subject, actor="", recorded_at=clock.now()
    )


def add_matter(aw, spec) -> Matter:
    unit = aw.other_unit if spec["other"] else aw.unit
    power = aw.power["finance" if spec["finance"] else "procurement"]
    deputy = aw.other_principal if spec["other"] else getattr(aw, spec["deputy"])
    wait = None if spec["draft"] else spec["wait"]
    matter = _matter(
        aw,
        unit,
        power,
        submitted=spec["at"],
        wait=wait,
        deputy=deputy,
        decided_by=None if spec["collective"] else "deputy",
        amount=str(spec["amount"] or 0),
        **({"state": MatterState.DRAFT} if spec["draft"] else {}),
    )
    if spec["amount"] is None:
        Matter.objects.filter(pk=matter.pk).update(amount=None)
    if wait is None:
        return matter
    decided_at = matter.decided_at
    if spec["veto"] is not None:
        MatterEvent.objects.create(
            matter=matter,
            at=decided_at + dt.timedelta(hours=spec["veto"]),
            actor=aw.principal,
            action="vetoed",
            state="vetoed",
        )
    if spec["cosign"] is not None and not spec["other"]:
        MatterEvent.objects.create(
            matter=matter, at=decided_at, actor=deputy, action="approved", state="awaiting_cosign"
        )
        Cosign.objects.create(
            matter=matter,
            signer=aw.inspector,
            role="inspector",
            signed_at=decided_at + spec["cosign"] * MIN,
        )
    return matter


def add_meeting(aw, day: dt.date, disagree: list[int]) -> Meeting:
    meeting = Meeting.objects.create(
        unit=aw.unit,
        kind="party_committee",
        date=day,
        chair=aw.principal,
        created_by=aw.principal,
        state=MeetingState.SEALED,
        sealed_at=clock.at(day, 12),
    )
    for n, against in enumerate(disagree):
        Item.objects.create(
            meeting=meeting,
            number=n + 1,
            title=f"议题{n + 1}",
            decision=("passed", "rejected", "")[n % 3],
            agree=3,
            disagree=against,
        )
    return meeting


@settings(
    max_examples=25,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: minutes per failure here
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(matters, min_size=1, max_size=12),
    meeting=st.one_of(st.none(), st.tuples(days, st.lists(st.integers(0, 3), min_size=1, max_size=3))),
    edits=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["deputy", "decided", "amount", "submit"]))),
    reform=st.one_of(st.none(), st.tuples(days, st.booleans())),
    order=st.randoms(use_true_random=False),
    asked=periods,
)
def test_the_rollup_gives_the_figures_computed_from_the_matters(
    aw, history, meeting, edits, reform, order, asked
):
    with transaction.atomic():
        made = [add_matter(aw, spec) for spec in history]
        deliveries = [entry("matter.submitted", m.subject, m.unit.code) for m in made]
        if meeting is not None:
            sealed = add_meeting(aw, *meeting)
            deliveries.append(entry("meeting.sealed", sealed.ref, aw.unit.code))
        # Every entry at least once, some again (a retry, the catch-up), in any order.
        deliveries += order.sample(deliveries, k=len(deliveries) // 2)
        order.shuffle(deliveries)
        for recorded in deliveries:
            rollup.on_entry(recorded)
        for period in (s.Period(), asked):
            same_figures(aw, period)

        # Later changes, each delivered by its entry: a hand-over, a decision, a corrected amount, a draft
        # submitted.
        for n, what in edits:
            matter = made[n % len(made)]
            if what == "deputy":
                matter.deputy = aw.deputy2 if matter.deputy_id == aw.deputy.pk else aw.deputy
            elif what == "decided" and matter.state != MatterState.DRAFT:
                matter.decided_at = matter.submitted_at + dt.timedelta(hours=n * 7 + 1)
                matter.decided_by = matter.deputy
            elif what == "amount":
                matter.amount = Decimal(n * 1000 + 1)
            elif what == "submit":
                matter.state = MatterState.SUBMITTED
            matter.save()
            rollup.on_entry(entry("matter.handed_over", matter.subject, matter.unit.code))
        same_figures(aw, asked)

        # The reform date moves (an earlier plan filed): read right at once, from the records, whether or
        # not its entry has reached the roll-up yet; then the entry re-splits the unit.
        if reform is not None:
            day, delivered = reform
            DivisionPlan.objects.create(
                unit=aw.unit,
                version=DivisionPlan.objects.filter(unit=aw.unit).count() + 1,
                status=PlanStatus.FILED,
                in_force_from=day,
                drafted_by=aw.principal,
                drafted_at=clock.at(day, 9),
                filed_by=aw.principal,
                filed_at=clock.at(day, 9),
            )
            same_figures(aw, asked)
            if delivered:
                rollup.on_entry(entry("powers.plan_filed", "plan:x", aw.unit.code))
                assert UnitRollup.objects.get(unit=aw.unit).reform == min(day, dt.date(2012, 1, 2))
            same_figures(aw, asked)

        # Rebuilt from scratch: the same rows as the entries left, the same figures.
        kept = rows()
        rollup.rebuild()
        if reform is None or reform[1]:
            assert rows() == kept
        same_figures(aw, asked)
        same_figures(aw, s.Period())
        transaction.set_rollback(True)


def rows() -> tuple[list[tuple], list[tuple]]:
    cells = sorted(
        MonthlyCell.objects.values_list(
            "unit_id",
            "month",
            "kind",
            "after",
            "category",
            "deputy_id",
            "signer_id",
            "matters",
            "amount",
            "collective",
            "waits",
        ),
        key=repr,
    )
    tallies = sorted(MonthlyTally.objects.values_list("unit_id", "month", "vetoes", "items", "dissent"))
    return cells, tallies


def test_an_entry_delivered_again_and_again_counts_once(aw):
    kept = rows()
    for _ in range(3):
        rollup.on_entry(entry("matter.approved", aw.collective.subject, aw.unit.code))
        rollup.on_entry(entry("matter.vetoed", aw.vetoed.subject, aw.unit.code))
    assert rows() == kept
    same_figures(aw, s.Period())


@pytest.mark.django_db(transaction=False)
def test_committed_entries_reach_the_rollup_through_the_dispatcher(aw, django_capture_on_commit_callbacks):
    """A matter recorded in the ledger updates its month once the entry commits (ledger.dispatch)."""
    with django_capture_on_commit_callbacks(execute=True):
        matter = _matter(
            aw,
            aw.unit,
            aw.power["finance"],
            submitted=clock.at(dt.date(2012, 8, 6), 10),
            wait=dt.timedelta(days=3),
            deputy=aw.deputy,
            amount="123.45",
        )
        ledger.record("matter.approved", by=aw.deputy, unit=aw.unit.code, subject=matter.subject)
    august = MonthlyCell.objects.get(unit=aw.unit, month=dt.date(2012, 8, 1), kind="matter")
    assert (august.matters, august.amount, august.after) == (1, Decimal("123.45"), True)
    same_figures(aw, s.Period())


def test_the_commands_rebuild_and_replay(aw):
    MonthlyCell.objects.all().delete()
    MonthlyTally.objects.all().delete()
    out = io.StringIO()
    call_command("analytics", "rebuild", "--unit", "t-unit", stdout=out)
    assert "rebuilt for 1 units" in out.getvalue()
    assert MonthlyCell.objects.filter(unit=aw.unit).exists()
    assert not MonthlyCell.objects.filter(unit=aw.other_unit).exists()
    call_command("analytics", "rebuild", stdout=out)
    same_figures(aw, s.Period())
    call_command("analytics", "replay", "--since", "0", stdout=out)
    assert "deliveries from entry #0" in out.getvalue()
    same_figures(aw, s.Period())


def test_a_unit_never_rolled_up_is_read_from_its_matters(aw):
    UnitRollup.objects.all().delete()
    MonthlyCell.objects.all().delete()
    MonthlyTally.objects.all().delete()
    same_figures(aw, s.Period())
    same_figures(aw, s.Period(dt.date(2012, 3, 14), dt.date(2012, 5, 20)))


@pytest.mark.parametrize(
    ("start", "end", "whole", "edges"),
    [
        (None, None, (None, None), []),
        ("2012-03-01", "2012-05-31", ("2012-03-01", "2012-05-31"), []),
        (
            "2012-03-14",
            "2012-05-20",
            ("2012-04-01", "2012-04-30"),
            [("2012-03-14", "2012-03-31"), ("2012-05-01", "2012-05-20")],
        ),
        ("2012-03-14", "2012-03-20", None, [("2012-03-14", "2012-03-20")]),
        ("2012-02-29", None, ("2012-03-01", None), [("2012-02-29", "2012-02-29")]),
        (None, "2012-12-30", (None, "2012-11-30"), [("2012-12-01", "2012-12-30")]),
    ],
)
def test_a_period_is_its_whole_months_and_the_days_around_them(start, end, whole, edges):
    def day(text):
        return None if text is None else dt.date.fromisoformat(text)

    months, around = s.whole_months(s.Period(day(start), day(end)))
    assert months == (None if whole is None else s.Period(day(whole[0]), day(whole[1])))
    assert around == [s.Period(day(a), day(b)) for a, b in edges]


def test_whole_months_are_read_from_the_rollup_alone(aw):
    ids = [aw.unit.pk, aw.other_unit.pk]
    assert not s.reading(ids, s.Period(dt.date(2012, 1, 1), dt.date(2012, 12, 31))).live
    partial = s.reading(ids, s.Period(dt.date(2012, 1, 1), dt.date(2012, 12, 30)))
    assert partial.live.parts == ((tuple(ids), (s.Period(dt.date(2012, 12, 1), dt.date(2012, 12, 30)),)),)
