"""The one source of "now" and "today", in Asia/Shanghai.

Every service asks the clock instead of calling datetime.now(), so tests and the demo builder can
replay history: `with clock.frozen(datetime(2012, 3, 1, 9, tzinfo=SHANGHAI)): ...`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_frozen = threading.local()


def now() -> dt.datetime:
    """Aware datetime in Asia/Shanghai."""
    override: dt.datetime | None = getattr(_frozen, "at", None)
    if override is not None:
        return override
    return dt.datetime.now(tz=SHANGHAI)


def today() -> dt.date:
    return now().astimezone(SHANGHAI).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Shanghai calendar date of an aware moment."""
    return moment.astimezone(SHANGHAI).date()


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware moment on a Shanghai calendar day."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@contextlib.contextmanager
def frozen(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Freeze now() for this thread (tests, demo replay). Nested freezes restore the outer one."""
    if moment.tzinfo is None:
        raise ValueError("clock.frozen needs an aware datetime")
    previous = getattr(_frozen, "at", None)
    _frozen.at = moment
    try:
        yield moment
    finally:
        _frozen.at = previous
