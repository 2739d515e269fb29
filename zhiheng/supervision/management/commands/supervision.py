"""`zhiheng supervision monthly [--month YYYY-MM]` — issue every unit's monthly financial detail report for
the month (default: the previous month), idempotently: units already issued are left as they are.
`zhiheng supervision daily [--date YYYY-MM-DD]` — the scheduled job by hand (issue what is due, RF6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Supervision: monthly financial detail reports (R-SUP-1)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        monthly = sub.add_parser("monthly", help="issue the month's report of every unit")
        monthly.add_argument("--month", default=None, help="YYYY-MM (default: the previous month)")
        daily = sub.add_parser("daily", help="the daily job: issue what is due, raise RF6 on overdue reports")
        daily.add_argument("--date", default=None, help="the day to run for (default: today)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from zhiheng.core import clock
        from zhiheng.supervision import months, services
        from zhiheng.supervision.tasks import daily

        if action == "daily":
            day = options.get("date")
            if day:
                try:
                    dt.date.fromisoformat(day)
                except ValueError as exc:
                    raise CommandError(f"not a date: {day}") from exc
            self.stdout.write(str(daily(day)))
            return
        text = options.get("month")
        month = months.parse(text) if text else months.previous(clock.today())
        if month is None:
            raise CommandError(f"not a month (YYYY-MM): {text}")
        result = services.issue_month(month)
        self.stdout.write(
            f"{months.code(result.month)}: {result.issued} report(s) issued, {result.already} already issued"
        )
