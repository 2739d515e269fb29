"""`zhiheng powers in-force [--date YYYY-MM-DD]` — record plans coming into force (embedded mode).

Without a Celery beat, run it daily (cron or the system's timer); it is idempotent, so running it
twice, or alongside the beat, writes each "came into force" once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Powers: record division plans coming into force"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        in_force = sub.add_parser("in-force", help="record plans whose in-force date has arrived")
        in_force.add_argument("--date", default=None, help="the day to record for (default: today)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from zhiheng.powers.tasks import record_plans_coming_into_force

        day = options.get("date")
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"not a date: {day}") from exc
        count = record_plans_coming_into_force(day)
        self.stdout.write(f"{count} plan(s) came into force")
