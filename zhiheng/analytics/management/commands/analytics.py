"""`zhiheng analytics <rebuild|replay>` — the monthly roll-up behind the analytics pages (decision 0022).

zhiheng analytics rebuild [--unit CODE ...]          recompute the roll-up from the records, from scratch
                                                     (after a bulk load, or data written around the
                                                     services); every unit, or those given
zhiheng analytics replay --since INDEX [--until I]   deliver the ledger entries since INDEX again to the
                                                     roll-up; idempotent: a month is recomputed, never
                                                     incremented
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Analytics: rebuild the monthly roll-up, or replay ledger entries into it"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rb = sub.add_parser("rebuild", help="recompute the monthly roll-up from the records")
        rb.add_argument("--unit", action="append", default=[], help="a unit's code (repeatable)")
        rp = sub.add_parser("replay", help="deliver stored ledger entries to the roll-up again")
        rp.add_argument("--since", type=int, required=True, help="first entry index")
        rp.add_argument("--until", type=int, default=None, help="last entry index (default: the last)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "do_" + action)(**options)

    def do_rebuild(self, unit: list[str], **options: Any) -> None:
        from zhiheng.analytics import rollup
        from zhiheng.org.models import Unit

        ids = None
        if unit:
            found = dict(Unit.objects.filter(code__in=unit).values_list("code", "pk"))
            missing = sorted(set(unit) - set(found))
            if missing:
                raise CommandError(f"unknown unit(s): {', '.join(missing)}")
            ids = list(found.values())
        t0 = time.perf_counter()
        done = rollup.rebuild(ids)
        self.stdout.write(f"monthly roll-up rebuilt for {done} units in {time.perf_counter() - t0:.1f} s")

    def do_replay(self, since: int, until: int | None = None, **options: Any) -> None:
        from zhiheng.analytics.rollup import HANDLER_PREFIX
        from zhiheng.ledger import dispatch

        ran = dispatch.replay(since=since, until=until, prefix=HANDLER_PREFIX)
        self.stdout.write(f"{ran} deliveries from entry #{since}")
