"""`zhiheng risk <replay|scan>` — the red flags' command line.

zhiheng risk replay --since INDEX [--until INDEX]   deliver the ledger entries since INDEX again to the red
                                                   flags that consume them (after a handler was fixed or
                                                   added); idempotent: no warning is raised twice
zhiheng risk scan [--rebuild-mirror]               run the scheduled scans now; with --rebuild-mirror the red
                                                   flags' columnar mirror (RISK_MIRROR_FILE) is copied afresh
                                                   from the database first (decision 0023)
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
        sc = sub.add_parser("scan", help="run the scheduled scans now")
        sc.add_argument(
            "--rebuild-mirror",
            action="store_true",
            help="copy the red flags' columnar mirror afresh from the database before scanning",
        )

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

    def do_scan(self, rebuild_mirror: bool = False, **options: Any) -> None:
        from zhiheng.risk.redflags import export
        from zhiheng.risk.tasks import run_scans

        if rebuild_mirror:
            with export.mirror(rebuild=True) as (_con, synced):
                self.stdout.write(
                    f"mirror {synced['file'] or '(in memory)'}: {synced['matters']} matters copied"
                    f" in {synced['seconds']:.1f} s"
                )

        for name, raised in run_scans().items():
            self.stdout.write(f"{name}: {raised} warnings")
        self.stdout.write("scans done")
