"""The pure rules on a programme's dates (states.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhiheng.pilots import states

D = dt.date(2026, 3, 2)


def d(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def test_phases_in_the_seeds_order_with_increasing_dates():
    assert states.in_order({})
    assert states.in_order({"动员教育": d(0), "正式实施": d(5)})
    assert not states.in_order({"动员教育": d(5), "制定制度": d(5)})
    assert not states.in_order({"制定制度": d(1), "正式实施": d(0)})


def test_the_stage_on_a_day():
    phases = {"动员教育": d(0), "制定制度": d(10), "正式实施": d(20)}
    assert states.stage(phases, None, d(-1)) == "planned"
    assert states.stage(phases, None, d(0)) == "mobilisation"
    assert states.stage(phases, None, d(19)) == "rulemaking"
    assert states.stage(phases, d(30), d(29)) == "implementation"
    assert states.stage(phases, d(30), d(30)) == "rolled_out"
    assert not states.units_fixed(phases, False, d(19))
    assert states.units_fixed(phases, False, d(20)) and states.units_fixed({}, True, d(0))
    assert not states.rollout_follows(phases, d(20)) and states.rollout_follows(phases, d(21))
    assert not states.rollout_follows({"动员教育": d(0)}, d(99))


@given(st.lists(st.integers(-50, 50), min_size=3, max_size=3), st.integers(-60, 60))
def test_the_stage_never_goes_back_as_days_pass(offsets, today):
    phases = dict(zip(states.ORDER, sorted(d(n) for n in offsets), strict=True))
    order = list(states.Stage.values)
    assert order.index(states.stage(phases, None, d(today))) <= order.index(
        states.stage(phases, None, d(today + 1))
    )
