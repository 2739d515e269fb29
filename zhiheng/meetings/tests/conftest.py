"""Meeting fixtures on top of the `world` personas (root conftest): a date inside everyone's term,
the clock frozen on it, and helpers that drive a meeting through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.meetings import services

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def mw(world):
    with clock.frozen(clock.at(DAY, 10)):
        world.day = DAY
        world.voters = [world.principal, world.deputy, world.deputy2, world.deputy3]
        yield world


def convene(w, *, items=None, kind="party_committee", by=None, **kw):
    items = items if items is not None else [{"title": "采购办公设备", "presenter": w.deputy}]
    return services.create_meeting(
        by=by or w.principal, unit=w.unit, kind=kind, date=w.day, items=items, **kw
    )


def attend_all(w, meeting, present=None, observers=()):
    return services.record_attendance(
        by=w.principal,
        meeting=meeting,
        present=present if present is not None else w.voters,
        observers=observers,
    )


def ledger_size() -> int:
    return Entry.objects.count()


def say(person, item, position="agree", reason="理由充分", candidate=None):
    return services.state(by=person, item=item, position=position, reason=reason, candidate=candidate)
