"""Issuing the monthly reports (R-SUP-1): once per unit and month, whatever runs it how often.

`issue_report` locks the unit's row, looks for the report again under the lock, compiles and freezes the
content, records "supervision.report_issued" and writes the row — in one transaction, so a crash leaves the
unit either fully issued (row and entry) or not at all, and the unique (unit, month) constraint stands
behind the lock. `issue_month` does it for every active unit, one transaction each: a run killed half-way
is finished by the next run, which issues the missing units and leaves the others alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.ledger.canonical import canonical_bytes
from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import TEAM_ROLES, Unit

from .. import contents, months
from ..events import REPORT_ISSUED
from ..models import MonthlyReport
from ..parameters import in_force


def digest_of(frozen: dict[str, Any]) -> str:
    """sha256 hex of the ledger's canonical bytes of the frozen content."""
    return hashlib.sha256(canonical_bytes(frozen)).hexdigest()


def team_usernames(unit: Unit, day: dt.date) -> list[str]:
    """The leadership team in office on `day`, principal first, then deputies and the unit inspector."""
    return [m.person.username for m in org_selectors.team_on(unit, day) if m.role in TEAM_ROLES]


def issue_report(*, unit: Unit, month: dt.date, by: Person | None = None) -> tuple[MonthlyReport, bool]:
    """The unit's report for `month`, issued now unless it already was; (report, issued now?)."""
    month = months.first_of(month)
    existing = MonthlyReport.objects.filter(unit=unit, month=month).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        unit = Unit.objects.select_for_update().select_related("district").get(pk=unit.pk)
        existing = MonthlyReport.objects.filter(unit=unit, month=month).first()
        if existing is not None:  # another run issued it while this one waited for the lock
            return existing, False
        now = clock.now()
        frozen = contents.compile_report(unit, month, now)
        digest = digest_of(frozen)
        team = team_usernames(unit, clock.local_date(now))
        due = clock.local_date(now) + dt.timedelta(days=in_force(unit)[1])
        entry = ledger.record(
            REPORT_ISSUED.code,
            by=by,
            unit=unit.code,
            subject=f"monthly-report:{unit.code}:{months.code(month)}",
            payload={
                "unit": unit.code,
                "month": months.code(month),
                "digest": digest,
                "due": due.isoformat(),
                "team": team,
            },
        )
        report = MonthlyReport.objects.create(
            unit=unit,
            month=month,
            issued_at=now,
            due=due,
            team=team,
            frozen=frozen,
            digest=digest,
            ledger_index=entry.index,  # None while the entry waits for integration (batched sequencing) …
            ledger_pending=entry.pending,  # … which fills it in by this id (apps.py registers the resolver)
        )
    return report, True


@dataclass(frozen=True)
class Issued:
    month: dt.date
    issued: int
    already: int


def issue_month(month: dt.date, *, by: Person | None = None, units: Any = None) -> Issued:
    """Every active unit's report for `month` (or those of `units`), each in its own transaction."""
    issued = already = 0
    for unit in (units if units is not None else Unit.objects.filter(is_active=True)).order_by("code"):
        _report, new = issue_report(unit=unit, month=month, by=by)
        issued += new
        already += not new
    return Issued(months.first_of(month), issued, already)


def catch_up(today: dt.date | None = None) -> Issued:
    """The daily job (R-SUP-1 "by the 5th"): the previous month's report of every active unit whose
    issue day (parameter `issue_day`) has come and that has none yet. Idempotent."""
    today = today or clock.today()
    month = months.previous(today)
    missing = Unit.objects.filter(is_active=True).exclude(
        pk__in=MonthlyReport.objects.filter(month=month).values("unit_id")
    )
    due = [unit.pk for unit in missing if today.day >= in_force(unit)[0]]
    result = issue_month(month, units=Unit.objects.filter(pk__in=due))
    already = MonthlyReport.objects.filter(month=month).count() - result.issued
    return Issued(month, result.issued, already)
