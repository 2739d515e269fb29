"""`zhiheng checkup rotate-key` — seal the check-up's personal data under a new key (R-GATE-2): the new key
goes first in CHECKUP_KEY_FILE, every sealed value is re-sealed under it, then the old keys are dropped."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Integrity check-up: rotate the key that seals declarations and opinions"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate-key", help="re-seal every declaration and opinion under a new key")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from zhiheng.checkup.services import rotate_keys

        count = rotate_keys()
        self.stdout.write(f"re-sealed {count} values under a new key")
