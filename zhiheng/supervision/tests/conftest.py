"""The `sw` fixture: the matters world (`mw`: personas, catalogue, filed plan, budget lines office/big) on
DAY (2026-03-02, frozen clock), with decided expenditures and purchases of February 2026 and of February
2025 (the comparison), a meeting that decided one of them, and `decided(...)` to add more.

    sw.feb        the report month (2026-02-01)
    sw.matters    the February matters, in decided order: small office supplies (deputy, office line),
                  a collective purchase decided by the third party-group meeting (deputy2, big line), an
                  expenditure without a budget line (deputy), an executed one on the last evening
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from zhiheng.core import clock
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import DAY, build_matters_world
from zhiheng.meetings.models import Meeting

FEB = dt.date(2026, 2, 1)


def decided(
    w: SimpleNamespace,
    title: str,
    amount: str,
    *,
    at: dt.datetime,
    kind: str = "expenditure",
    line=None,
    deputy=None,
    state: str = "approved",
    counterparty: str = "渝新文具有限公司",
    decision_ref: str = "",
    unit=None,
) -> Matter:
    """A decided matter written directly (the report reads matters; how they were decided is the matters
    app's own business, tested there)."""
    power = w.power["finance" if kind == "expenditure" else "procurement"]
    return Matter.objects.create(
        unit=unit or w.unit,
        power=power,
        kind=kind,
        category=power.category.code,
        title=title,
        amount=Decimal(amount),
        counterparty=counterparty,
        budget_line=line,
        state=state,
        submitted_by=w.staff,
        submitted_at=at - dt.timedelta(days=2),
        deputy=deputy or w.deputy,
        decided_at=at,
        decision_ref=decision_ref,
    )


def meeting(w: SimpleNamespace, day: dt.date, kind: str = "party_committee") -> Meeting:
    return Meeting.objects.create(
        unit=w.unit, kind=kind, date=day, chair=w.principal, created_by=w.principal, state="open"
    )


def build_supervision_world(w: SimpleNamespace) -> SimpleNamespace:
    w.feb = FEB
    for day in (dt.date(2026, 1, 8), dt.date(2026, 1, 20)):
        meeting(w, day)
    w.meeting = meeting(w, dt.date(2026, 2, 10))  # the year's third party-group meeting
    w.matters = [
        decided(w, "办公用品", "1200.00", at=clock.at(dt.date(2026, 2, 3), 10), line=w.office),
        decided(
            w,
            "执法记录仪采购",
            "86000.00",
            at=clock.at(dt.date(2026, 2, 10), 16),
            kind="purchase",
            line=w.big,
            deputy=w.deputy2,
            counterparty="重庆宏远办公设备有限公司",
            decision_ref=f"meeting:{w.meeting.pk}/item:1",
        ),
        decided(w, "慰问品", "3000.00", at=clock.at(dt.date(2026, 2, 14), 9)),
        decided(
            w,
            "电脑维修",
            "800.00",
            at=clock.at(dt.date(2026, 2, 28), 23, 30),
            line=w.office,
            state="executed",
        ),
    ]
    # Not in February's report: decided in March, a personnel matter, one still waiting, one rejected.
    decided(w, "三月的办公用品", "500.00", at=clock.at(dt.date(2026, 3, 1), 0), line=w.office)
    decided(w, "二月被否的", "700.00", at=clock.at(dt.date(2026, 2, 5), 10), state="rejected")
    decided(w, "二月待会签的", "900.00", at=clock.at(dt.date(2026, 2, 6), 10), state="awaiting_cosign")
    # Last year's February, the comparison's base: ¥50,000 in all.
    decided(w, "去年二月", "50000.00", at=clock.at(dt.date(2025, 2, 12), 10), line=w.office)
    return w


@pytest.fixture
def sw(world):
    with clock.frozen(clock.at(DAY)):
        yield build_supervision_world(build_matters_world(world))


__all__ = ["DAY", "FEB", "build_supervision_world", "decided", "meeting"]
