"""`zhiheng risk <replay|scan>` — the red flags' command line.

zhiheng risk replay --since INDEX [--until INDEX]   deliver the ledger entries since INDEX again to the red
                                                   flags that consume them (after a handler was fixed or
                                                   added); idempotent: no warning is raised twice
zhiheng risk scan                                  run the scheduled scans now
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Red flags: replay ledger entries into them, run the scans"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rp = sub.add_parser("replay", help="deliver stored ledger entries to the red flags again")
        rp.add_argument("--since", type=int, required=True, help="first entry index")
        rp.add_argument("--until", type=int, default=None, help="last entry index (default: the last)")
        sub.add_parser("scan", help="run the scheduled scans now")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "do_" + action)(**options)

    def do_replay(self, since: int, until: int | None = None, **options: Any) -> None:
        from zhiheng.ledger import dispatch
        from zhiheng.risk.models import Warning
        from zhiheng.risk.redflags import HANDLER_PREFIX

        before = Warning.objects.count()
        ran = dispatch.replay(since=since, until=until, prefix=HANDLER_PREFIX)
        raised = Warning.objects.count() - before
        self.stdout.write(f"{ran} deliveries from entry #{since}; {raised} new warnings")

    def do_scan(self, **options: Any) -> None:
        from zhiheng.risk.tasks import run_scans

        for name, raised in run_scans().items():
            self.stdout.write(f"{name}: {raised} warnings")
        self.stdout.write("scans done")
