"""The `uw` fixture: the matters world (zhiheng/matters/tests/conftest.py: powers finance, procurement, …;
finance is `deputy`'s) with the unit joined the system on JOINED, the clock on DAY, and helpers that pass an
agenda item at a sealed meeting of a unit on a date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhiheng.core import clock
from zhiheng.matters.tests.conftest import DAY, at_day, build_matters_world
from zhiheng.meetings import services as meetings
from zhiheng.org.models import Unit
from zhiheng.unitrules import services

__all__ = ["DAY", "JOINED", "at_day", "passed_item", "payload", "uw"]

JOINED = dt.date(2026, 1, 1)
LEGACY = dt.date(2012, 3, 1)
BODY = "第一条 为规范财务管理，制定本制度。\n第二条 单笔支出五万元以上提交集体会审。\n第三条 每月财务明细向班子通报。"


def passed_item(w, day: dt.date, title: str = "审议制度", *, unit=None, seal: bool = True):
    """An agenda item passed unanimously at a meeting of the unit on `day` (sealed unless told not to)."""
    unit = unit or w.unit
    principal = w.principal if unit == w.unit else w.other_principal
    voters = [w.principal, w.deputy, w.deputy2, w.deputy3] if unit == w.unit else [principal]
    with clock.frozen(clock.at(day, 10)):
        meeting = meetings.create_meeting(
            by=principal,
            unit=unit,
            kind="office",
            date=day,
            items=[{"title": title, "presenter": voters[1] if len(voters) > 1 else None}],
        )
        meetings.record_attendance(by=principal, meeting=meeting, present=voters, observers=[])
        item = meeting.items.get()
        for person in [*voters[1:], voters[0]]:
            meetings.state(by=person, item=item, position="agree", reason="同意")
        if seal:
            meetings.close_meeting(by=principal, meeting=meeting)
    item.refresh_from_db()
    return item


def create(w, code: str = "CW-01", *, by=None, item=None, adopted=None, body: str = BODY, **kw):
    """A rule of the unit: adopted by `item`'s meeting (or `meeting`, to cite another), else before the system."""
    if item is None and adopted is None:
        adopted = LEGACY
    meeting = kw.pop("meeting", item.meeting if item else None)
    return services.create_rule(
        by=by or w.principal,
        unit=w.unit,
        code=code,
        title=kw.pop("title", "财务管理制度"),
        body=body,
        group=kw.pop("group", "财务管理"),
        powers=kw.pop("powers", [w.power["finance"]]),
        meeting=meeting,
        item=item,
        adopted=adopted,
        **kw,
    )


@pytest.fixture
def uw(world, at_day):
    w = build_matters_world(world)
    Unit.objects.filter(pk__in=[w.unit.pk, w.other_unit.pk]).update(created_at=clock.at(JOINED))
    w.unit.refresh_from_db()
    w.other_unit.refresh_from_db()
    w.day = at_day
    return w


def payload(entry) -> dict:
    return json.loads(entry.text)["payload"]
