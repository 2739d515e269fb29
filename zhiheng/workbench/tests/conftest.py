"""The 工作台's world: the matters world (zhiheng/matters/tests/conftest.py) on its day, with what each
role should be told about — matters waiting for a decision and for co-signatures, one vetoed, a refused
attempt of the principal (RF1), an open meeting — and an inspection-group member of the district."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.core.errors import Forbidden
from zhiheng.matters import services
from zhiheng.matters.tests.conftest import DAY, build_matters_world
from zhiheng.meetings import services as meetings
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory

TERM_START = dt.date(2012, 1, 1)


def small(w, title: str, amount: str = "800.00", by=None):
    return services.submit(
        by=by or w.staff,
        unit=w.unit,
        power=w.power["finance"],
        title=title,
        amount=amount,
        budget_line=w.office,
        counterparty="渝新文具有限公司",
    )


def add_small_matters(w, n: int, *, start: int = 0) -> None:
    """`n` finance matters the staff submits; every other one the deputy in charge approves."""
    for i in range(start, start + n):
        m = small(w, f"购买办公用品第{i + 1}批")
        if i % 2:
            services.approve(matter=m, by=w.deputy)


def populate(w, day: dt.date = DAY) -> None:
    """The stories, told on `day` (the browser journeys tell them today: the charts cover the last year)."""
    with clock.frozen(clock.at(day - dt.timedelta(days=40))):
        big = services.submit(
            by=w.staff,
            unit=w.unit,
            power=w.power["procurement"],
            title="采购执法记录仪",
            amount="250000.00",
            budget_line=w.big,
        )
        big = services.refer_to_collective(matter=big, by=w.deputy2, reason="上会")
        w.cosign_matter = services.apply_collective_decision(
            matter=big, outcome="passed", by=w.principal, meeting_ref="meeting:1/item:1"
        )
    with clock.frozen(clock.at(day - dt.timedelta(days=20))):
        w.waiting = small(w, "支付会议室租金", "1500.00")
    w.vetoed = small(w, "购买茶叶", "3000.00")
    services.veto(matter=w.vetoed, by=w.principal, reason="与节约要求不符")
    w.attempted = small(w, "支付印刷费", "900.00")
    with pytest.raises(Forbidden):
        services.approve(matter=w.attempted, by=w.principal)  # RF1: refused, and kept as a warning
    w.meeting = meetings.create_meeting(
        by=w.principal,
        unit=w.unit,
        kind="party_committee",
        date=day,
        items=[{"title": "研究年度采购计划", "presenter": w.deputy}],
    )
    w.group = PersonFactory(username="t-group", name="督察组成员")
    DistrictRoleFactory(person=w.group, district=w.district, role="inspection", start=TERM_START)
    w.far_group = PersonFactory(username="t-far-group", name="外区督察组成员")
    DistrictRoleFactory(person=w.far_group, district=w.far_district, role="inspection", start=TERM_START)


@pytest.fixture
def wb(world):
    with clock.frozen(clock.at(DAY, 10)):
        w = build_matters_world(world)
        populate(w)
        yield w
