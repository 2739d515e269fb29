"""Celery tasks of the analytics app: the hourly catch-up of the monthly roll-up fed by ledger entries
(rollup.py). Idempotent: a month is recomputed from the records, never incremented."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

CATCH_UP_HOURS = 2


@shared_task(name="zhiheng.analytics.tasks.catch_up")
def catch_up(hours: float = CATCH_UP_HOURS) -> int:
    """Deliver again to the roll-up the entries recorded in the last `hours` (a lost task, a handler that
    failed in-process); returns how many deliveries ran."""
    from zhiheng.core import clock
    from zhiheng.ledger import dispatch

    from .rollup import HANDLER_PREFIX

    since = clock.now() - dt.timedelta(hours=hours)
    return dispatch.replay(recorded_since=since, prefix=HANDLER_PREFIX)
