"""Celery tasks of the risk app: the hourly catch-up of the red flags fed by ledger entries, and the daily
scans (redflags.SCANS, issue 15). Both are idempotent: a warning is raised once per (rule, subject,
source)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

CATCH_UP_HOURS = 2


@shared_task(name="zhiheng.risk.tasks.catch_up")
def catch_up(hours: float = CATCH_UP_HOURS) -> int:
    """Deliver again to risk's handlers the entries recorded in the last `hours` (a lost task, a handler
    that failed in-process); returns how many deliveries ran."""
    from zhiheng.core import clock
    from zhiheng.ledger import dispatch

    from .redflags import HANDLER_PREFIX

    since = clock.now() - dt.timedelta(hours=hours)
    return dispatch.replay(recorded_since=since, prefix=HANDLER_PREFIX)


@shared_task(name="zhiheng.risk.tasks.run_scans")
def run_scans() -> dict[str, int]:
    """Run every registered scan; returns the warnings each raised."""
    from .redflags import SCANS

    return {name: scan() for name, scan in SCANS.items()}
