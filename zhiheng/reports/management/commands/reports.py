"""`zhiheng reports rotate-key` — seal the reporting channel under a new key (R-SUP-3): the new key goes first
in REPORTS_KEY_FILE, every sealed value is re-sealed under it, then the old keys are dropped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Reporting channel: rotate the key that seals reports, identities, messages and attachments"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "rotate-key", help="re-seal every sealed value of the reporting channel under a new key"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from zhiheng.reports.services import rotate_keys

        count = rotate_keys()
        self.stdout.write(f"re-sealed {count} values under a new key")
