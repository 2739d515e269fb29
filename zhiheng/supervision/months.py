"""Calendar months as the monthly report counts them (Asia/Shanghai). Pure: no ORM, no queries.

A month is held as its first day (a `datetime.date`) and written "YYYY-MM" in URLs, the API and the ledger.
"""

from __future__ import annotations

import datetime as dt
import re

from zhiheng.core import clock

_CODE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


def parse(text: str) -> dt.date | None:
    """The month "YYYY-MM" names (its first day), or None when the text is not a month."""
    match = _CODE.fullmatch(text or "")
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        return None
    return dt.date(year, month, 1)


def code(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def shift(month: dt.date, by: int) -> dt.date:
    """The month `by` months after (or before, negative) `month`."""
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def previous(day: dt.date) -> dt.date:
    """The month before the one `day` falls in: the month a report issued on `day` covers."""
    return shift(first_of(day), -1)


def bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month as aware Shanghai moments (a matter decided at 23:59 on the last day is in)."""
    return clock.at(month, 0), clock.at(shift(month, 1), 0)


def label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"
