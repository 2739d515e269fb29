"""The `pw` fixture: the world's district (testdistrict) with a third unit, `third` (t-third), and a pilot
programme of t-unit set up by the commission on DAY; t-unit follows jiangbei-3x since 2012, t-other and
t-third follow no policy yet. The clock is frozen on DAY; `later(days)` moves it on."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest

from zhiheng.core import clock
from zhiheng.org.tests.factories import UnitFactory
from zhiheng.pilots import services
from zhiheng.powers import selectors as powers
from zhiheng.powers import services as powers_services
from zhiheng.powers.seed import ensure_seeded

DAY = dt.date(2026, 3, 2)
NAME = "一把手不直接分管试点"


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@contextlib.contextmanager
def later(n: int) -> Iterator[dt.date]:
    with clock.frozen(clock.at(day(n), 10)):
        yield day(n)


@pytest.fixture
def pw(world):
    ensure_seeded()
    w = world
    with clock.frozen(clock.at(DAY, 10)):
        w.third = UnitFactory(code="t-third", name="第三局", district=w.district)
        powers_services.set_unit_policy(
            by=None,
            unit=w.unit,
            template=powers.latest_template("jiangbei-3x"),
            in_force_from=dt.date(2012, 1, 1),
        )
        w.programme = services.create_programme(by=w.admin, district=w.district, name=NAME, units=[w.unit])
        yield w


def phased(w, mobilisation: int = 1, rulemaking: int = 10, implementation: int = 20):
    """The three phases set on DAY, `n` days ahead each."""
    for name, n in (("动员教育", mobilisation), ("制定制度", rulemaking), ("正式实施", implementation)):
        services.set_phase(by=w.admin, programme=w.programme, name=name, start=day(n))
    return w.programme
