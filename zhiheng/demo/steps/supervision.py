"""Step 6: a year of monthly financial detail reports 每月财务明细汇报 for every demo unit (R-SUP-1), through
the services, replayed in time order.

The twelve months before the month the history ends in (HISTORY_END) are issued on the 5th of the month
after, as the daily job does; the team acknowledges within the ten days, most of them in the first days —
a few members late (RF6 is raised the day after the due date, by the same check the daily job runs); in
the last month a few units' members have still not acknowledged, so their 工作台 asks them to and the
commission's district month shows who did not.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.supervision import months, services
from zhiheng.supervision.models import MonthlyReport

from ..context import HISTORY_END, DemoContext


class Timeline:
    """Dated steps run in time order; a step may put later steps on the timeline (an issued report's
    acknowledgements), which is why this is a heap and not the matters step's sorted script."""

    def __init__(self) -> None:
        self.steps: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self.order = itertools.count()  # ties run in the order they were put on

    def at(self, day: dt.date, hour: int, fn: Callable[[], None]) -> None:
        heapq.heappush(self.steps, (clock.at(day, hour), next(self.order), fn))

    def run(self) -> None:
        while self.steps:
            moment, _seq, fn = heapq.heappop(self.steps)
            with clock.frozen(moment):
                fn()


MONTHS = 12
ISSUE_DAY = 5
LATE_SHARE = 0.01  # a team member's chance to acknowledge a report after its due date
PENDING_UNITS = 4  # units whose last report some members have still not acknowledged


def build(ctx: DemoContext) -> None:
    script = Timeline()
    last = months.previous(HISTORY_END)
    people = {
        p.username: p for p in Person.objects.filter(memberships__unit__in=ctx.units.values()).distinct()
    }
    pending = set(ctx.rng.sample(sorted(ctx.units), PENDING_UNITS))
    for back in range(MONTHS - 1, -1, -1):
        month = months.shift(last, -back)
        issue_day = months.shift(month, 1).replace(day=ISSUE_DAY)
        script.at(issue_day, 8, _issue(month))
        script.at(issue_day + dt.timedelta(days=11), 8, _check(issue_day + dt.timedelta(days=11)))
        for code in sorted(ctx.units):
            script.at(
                issue_day,
                8,
                _acknowledgements(ctx, script, code, month, people, last_month=back == 0 and code in pending),
            )
    script.run()


def _issue(month: dt.date) -> Callable[[], None]:
    return lambda: services.issue_month(month)


def _check(day: dt.date) -> Callable[[], None]:
    return lambda: services.check_overdue(day)


def _acknowledgements(
    ctx: DemoContext,
    script: Timeline,
    code: str,
    month: dt.date,
    people: dict[str, Person],
    *,
    last_month: bool,
) -> Callable[[], None]:
    """Once the report is issued (its team is known): each member's acknowledgement, put on the script."""

    def plan() -> None:
        report = MonthlyReport.objects.get(unit=ctx.units[code], month=month)
        issued = clock.local_date(report.issued_at)
        for i, username in enumerate(report.team):
            if last_month and i % 2:
                continue  # still not acknowledged today
            if ctx.rng.random() < LATE_SHARE:
                day = report.due + dt.timedelta(days=ctx.rng.randint(2, 6))
            else:
                day = issued + dt.timedelta(
                    days=min(ctx.rng.choice((0, 1, 1, 2, 3, 5, 8)), (report.due - issued).days)
                )
            script.at(day, ctx.rng.randint(9, 17), _acknowledge(report, people[username]))

    return plan


def _acknowledge(report: MonthlyReport, person: Person) -> Callable[[], None]:
    return lambda: services.acknowledge(report=report, by=person)
