"""RF6 for monthly reports: the daily check that raises a warning on every report its team did not fully
acknowledge by the due date — once per report (risk.services.raise_warning with the report's source), to
the unit inspector; the commission sees it through the warnings' own visibility."""

from __future__ import annotations

import datetime as dt

from zhiheng.core import clock
from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import Role
from zhiheng.risk.models import Level, Warning
from zhiheng.risk.services import raise_warning

from .. import months, rf6
from ..models import MonthlyReport

LOOK_BACK_DAYS = 400  # reports due longer ago were judged by earlier runs


def late_members(report: MonthlyReport) -> list[str]:
    """The usernames of the report's team who had not acknowledged it by the end of its due date."""
    on_time = {
        a.person.username for a in report.acknowledgements.all() if clock.local_date(a.at) <= report.due
    }
    return [username for username in report.team if username not in on_time]


def check_overdue(today: dt.date | None = None) -> int:
    """Raise RF6 for each report past due with someone late; returns how many warnings were raised now."""
    today = today or clock.today()
    raised_before = set(
        Warning.objects.filter(rule=rf6.RULE, source__startswith="scan:rf6:monthly:").values_list(
            "source", flat=True
        )
    )
    reports = (
        MonthlyReport.objects.filter(due__lt=today, due__gte=today - dt.timedelta(days=LOOK_BACK_DAYS))
        .select_related("unit")
        .prefetch_related("acknowledgements__person")
        .order_by("month", "unit__code")
    )
    raised = 0
    for report in reports:
        source = rf6.source(report.unit.code, report.month_code)
        late = [] if source in raised_before else late_members(report)
        if late:
            _raise(report, late, source)
            raised += 1
    return raised


def _raise(report: MonthlyReport, late: list[str], source: str) -> Warning:
    from zhiheng.accounts.models import Person

    names = dict(Person.objects.filter(username__in=late).values_list("username", "name"))
    inspector = (
        org_selectors.memberships_on(report.unit).filter(role=Role.INSPECTOR).order_by("start").first()
    )
    return raise_warning(
        rule=rf6.RULE,
        level=Level.MEDIUM,
        unit=report.unit,
        subject=report.subject,
        explanation=rf6.explanation(
            report.unit.name,
            months.label(report.month),
            report.due.isoformat(),
            [f"{names.get(u, u)}（{u}）" for u in late],
        ),
        records=[
            {"monthly_report": report.month_code, "due": report.due.isoformat(), "not_acknowledged": late}
        ],
        owner=inspector.person if inspector is not None else None,
        source=source,
    )
