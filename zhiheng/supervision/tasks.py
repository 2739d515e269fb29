"""Celery tasks of the supervision app: the daily job of R-SUP-1 (issue the previous month's reports once
their issue day has come, then raise RF6 on reports past due). Idempotent: a report is issued once per unit
and month, a warning raised once per report.

With a broker, beat runs `daily` (config/settings.py CELERY_BEAT_SCHEDULE). Without one — the embedded
mode, where nothing runs on a schedule — the same call runs in-process the first time someone opens their
工作台 on a given day (`daily_in_embedded_mode`, called by the workbench view), so a demo left running
across the 5th still issues its reports; `zhiheng supervision daily` runs it by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)


@shared_task(name="zhiheng.supervision.tasks.daily")
def daily(day: str | None = None) -> dict[str, object]:
    """Issue what is due, then check what is overdue; `day` an ISO date (default today)."""
    from .services import catch_up, check_overdue

    today = dt.date.fromisoformat(day) if day else None
    issued = catch_up(today)
    raised = check_overdue(today)
    return {"month": issued.month.isoformat(), "issued": issued.issued, "rf6": raised}


_last_embedded_run: dict[str, dt.date] = {}
_embedded_lock = threading.Lock()


def daily_in_embedded_mode() -> None:
    """The embedded mode's stand-in for beat: `daily` once per process and day, on a natural moment (the
    first 工作台 of the day). Does nothing with a broker (beat runs it) or when
    SUPERVISION_DAILY_ON_VISIT is off (the tests)."""
    from zhiheng.core import clock

    if not getattr(settings, "SUPERVISION_DAILY_ON_VISIT", False):
        return
    today = clock.today()
    with _embedded_lock:
        if _last_embedded_run.get("day") == today:
            return
        _last_embedded_run["day"] = today
    try:
        daily()
    except Exception:  # a failed catch-up must not take the 工作台 down; the next day tries again
        log.exception("supervision: the embedded daily job failed")
