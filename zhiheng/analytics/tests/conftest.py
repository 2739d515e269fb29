"""The analytics world: the matters world (`mw`: t-unit on 3+X, its plan filed and in force from
2012-01-02 — the reform date) with a history written row by row at exact times, so that every figure the
selectors return can be computed here independently.

t-unit (a pilot unit):
    before the reform (autumn 2011), signed by the principal: waits BEFORE
    after the reform (2012-2013), deputy (finance) waits AFTER_FINANCE, deputy2 (procurement) AFTER_PURCHASE,
    one matter decided by a meeting (collective), one vetoed, one co-signed by the inspector, one open;
t-other (not a pilot; its reform date is its policy's, 2012-06-01): waits OTHER after, one wait before.
"""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from types import SimpleNamespace

import pytest

from zhiheng.analytics import rollup
from zhiheng.core import clock
from zhiheng.matters.models import Cosign, Matter, MatterEvent
from zhiheng.matters.states import MatterState
from zhiheng.matters.tests.conftest import build_matters_world
from zhiheng.meetings.models import Item, Meeting, MeetingState
from zhiheng.pilots import services as pilots
from zhiheng.powers.models import PolicyTemplate, UnitPolicy
from zhiheng.risk.models import Warning

REFORM = dt.date(2012, 1, 2)
OTHER_REFORM = dt.date(2012, 6, 1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
BEFORE = [10 * D, 20 * D + 5 * H, 33 * D, 41 * D + 7 * H]
AFTER_FINANCE = [1 * D, 2 * D + 12 * H, 3 * D + 2 * H, 30 * D]
AFTER_PURCHASE = [4 * H, 1 * D + 7 * H, 6 * D]
COLLECTIVE_WAIT = 12 * D
COSIGN_WAIT = 2 * D + 3 * H  # the inspector's signature after the matter entered 待会签
OTHER_AFTER = [5 * D, 7 * D, 9 * D + 9 * H]
OTHER_BEFORE = [60 * D]


def tenths(wait: dt.timedelta) -> int:
    return round(wait.total_seconds() / 8640)


def expected(waits: list[dt.timedelta]) -> tuple[int, float, float]:
    """(count, median, p90) in days, computed the textbook way over the waits rounded to tenths of a day."""
    days = [tenths(w) / 10 for w in waits]
    p90 = statistics.quantiles(days, n=10, method="inclusive")[8] if len(days) > 1 else days[0]
    return len(days), round(statistics.median(days), 2), round(p90, 2)


def figures(latency) -> tuple[int, float | None, float | None]:
    return latency.count, latency.median_days, latency.p90_days


def _matter(
    w, unit, power, *, submitted, wait, deputy, decided_by="deputy", amount="1000.00", **kw
) -> Matter:
    decided_at = submitted + wait if wait is not None else None
    matter = Matter.objects.create(
        unit=unit,
        power=power,
        kind="expenditure" if power.code == "finance" else "purchase",
        title=kw.pop("title", f"事项 {submitted:%Y%m%d%H}"),
        amount=Decimal(amount),
        category=power.category.code,
        state=kw.pop("state", MatterState.APPROVED if wait is not None else MatterState.SUBMITTED),
        submitted_by=w.staff,
        submitted_at=submitted,
        deputy=deputy,
        decided_by=(deputy if decided_by == "deputy" else decided_by) if wait is not None else None,
        decided_at=decided_at,
        **kw,
    )
    MatterEvent.objects.create(
        matter=matter, at=submitted, actor=w.staff, action="submitted", state="submitted"
    )
    return matter


def build_analytics_world(w) -> SimpleNamespace:
    build_matters_world(w)
    finance, purchase = w.power["finance"], w.power["procurement"]
    start = clock.at(dt.date(2011, 9, 5), 9)
    for i, wait in enumerate(BEFORE):
        _matter(w, w.unit, finance, submitted=start + 7 * i * D, wait=wait, deputy=w.principal)
    after = clock.at(dt.date(2012, 3, 5), 10)
    for i, wait in enumerate(AFTER_FINANCE):
        _matter(w, w.unit, finance, submitted=after + 3 * i * D, wait=wait, deputy=w.deputy, amount="2000.00")
    april = clock.at(dt.date(2012, 4, 2), 9)
    for i, wait in enumerate(AFTER_PURCHASE):
        _matter(w, w.unit, purchase, submitted=april + i * D, wait=wait, deputy=w.deputy2, amount="500.00")
    # A collective decision in May: no person decided it; its wait still counts for the unit.
    w.collective = _matter(
        w,
        w.unit,
        finance,
        submitted=clock.at(dt.date(2012, 5, 3), 9),
        wait=COLLECTIVE_WAIT,
        deputy=w.deputy,
        decided_by=None,
        amount="80000.00",
        decision_ref="meeting:1/item:1",
    )
    # Vetoed in May after the deputy approved it (its wait is the deputy's approval).
    w.vetoed = _matter(
        w,
        w.unit,
        finance,
        submitted=clock.at(dt.date(2012, 5, 7), 9),
        wait=1 * D + 1 * H,
        deputy=w.deputy,
        state=MatterState.VETOED,
    )
    MatterEvent.objects.create(
        matter=w.vetoed,
        at=clock.at(dt.date(2012, 5, 9), 10),
        actor=w.principal,
        action="vetoed",
        state="vetoed",
    )
    # Co-signed: the deputy approves (part of AFTER_FINANCE above? no — its own wait), the inspector signs.
    cosigned_at = clock.at(dt.date(2012, 5, 14), 9)
    w.cosigned = _matter(w, w.unit, purchase, submitted=cosigned_at, wait=5 * H, deputy=w.deputy2)
    MatterEvent.objects.create(
        matter=w.cosigned, at=cosigned_at + 5 * H, actor=w.deputy2, action="approved", state="awaiting_cosign"
    )
    Cosign.objects.create(
        matter=w.cosigned, signer=w.inspector, role="inspector", signed_at=cosigned_at + 5 * H + COSIGN_WAIT
    )
    # Open: counted as a matter, not in any latency.
    _matter(w, w.unit, purchase, submitted=clock.at(dt.date(2012, 5, 20), 9), wait=None, deputy=w.deputy2)
    # t-other: no plan, a policy from OTHER_REFORM; one wait before it, three after.
    UnitPolicy.objects.create(
        unit=w.other_unit, template=PolicyTemplate.objects.get(code="jiangbei-3x"), in_force_from=OTHER_REFORM
    )
    for i, wait in enumerate(OTHER_BEFORE):
        _matter(
            w,
            w.other_unit,
            finance,
            submitted=clock.at(dt.date(2012, 4, 2 + i), 9),
            wait=wait,
            deputy=w.other_principal,
        )
    for i, wait in enumerate(OTHER_AFTER):
        _matter(
            w,
            w.other_unit,
            finance,
            submitted=clock.at(dt.date(2012, 7, 2 + i), 9),
            wait=wait,
            deputy=w.other_principal,
        )
    # t-unit is the pilot: the one unit of the district's pilot programme (R-PIL-1).
    w.pilot = pilots.create_programme(
        by=None, district=w.district, name="一把手不直接分管试点", units=[w.unit]
    )
    # A sealed meeting in May: two items decided, one of them with two 不同意; an open one is not counted.
    sealed = Meeting.objects.create(
        unit=w.unit,
        kind="party_committee",
        date=dt.date(2012, 5, 10),
        chair=w.principal,
        created_by=w.principal,
        state=MeetingState.SEALED,
        sealed_at=clock.at(dt.date(2012, 5, 10), 12),
    )
    Item.objects.create(meeting=sealed, number=1, title="议题一", decision="passed", agree=3, disagree=2)
    Item.objects.create(meeting=sealed, number=2, title="议题二", decision="rejected", agree=1, disagree=0)
    still_open = Meeting.objects.create(
        unit=w.unit,
        kind="party_committee",
        date=dt.date(2012, 5, 20),
        chair=w.principal,
        created_by=w.principal,
    )
    Item.objects.create(meeting=still_open, number=1, title="议题三", disagree=4)
    # Warnings: two raised in May 2012, one of them resolved in June.
    for n, resolved in enumerate((None, clock.at(dt.date(2012, 6, 4), 9))):
        Warning.objects.create(
            rule="RF7",
            unit=w.unit,
            subject=f"matter:{n}",
            explanation="等待过久",
            source=f"test:{n}",
            created=clock.at(dt.date(2012, 5, 15 + n), 9),
            resolved_at=resolved,
            status="explained" if resolved else "open",
        )
    # The rows above were written around the services (no ledger entry feeds the roll-up): rebuild it, as
    # `zhiheng analytics rebuild` does after a bulk load.
    rollup.rebuild()
    return w


@pytest.fixture
def aw(world):
    with clock.frozen(clock.at(dt.date(2013, 1, 10), 9)):
        yield build_analytics_world(world)
