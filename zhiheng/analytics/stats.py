"""Medians and 90th percentiles from histograms, without the rows (pure: no ORM, no queries).

Latency is measured in tenths of a day (2.4 hours): each matter's wait, submitted → decided, is rounded to
the nearest tenth of a day in SQL. The monthly roll-up keeps each rounded wait (packed: `pack`), a page
concatenates those of a group in SQL, unpacks them in one call and counts them (`latency_of`: a histogram,
in C), and the percentiles below are exact over the rounded waits: the linear interpolation between
order statistics (numpy's default, `statistics.quantiles(method="inclusive")`).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

Histogram = Counter[int]  # tenths of a day → how many matters waited that long


@dataclass(frozen=True)
class Latency:
    count: int
    median_days: float | None
    p90_days: float | None


def quantiles(histogram: Mapping[int, int], qs: Sequence[float]) -> list[float | None]:
    """The q-quantiles (0 ≤ q ≤ 1) of the values a histogram counts, in the histogram's unit; None if
    empty. The values are sorted and their counts accumulated once (in C: a page takes ~1,000 of these)."""
    values = sorted(histogram)
    cumulative = list(accumulate(map(histogram.__getitem__, values)))
    total = cumulative[-1] if cumulative else 0
    if total == 0:
        return [None for _q in qs]
    out: list[float | None] = []
    for q in qs:
        position = (total - 1) * q
        low_rank = int(position)
        high_rank = min(low_rank + 1, total - 1)
        # the value of rank r (from 0) is the first whose cumulative count passes r
        low = values[bisect_right(cumulative, low_rank)]
        high = values[bisect_right(cumulative, high_rank)]
        out.append(low + (high - low) * (position - low_rank))
    return out


def quantile(histogram: Mapping[int, int], q: float) -> float | None:
    """The q-quantile (0 ≤ q ≤ 1) of the values a histogram counts, in the histogram's unit; None if empty."""
    return quantiles(histogram, (q,))[0]


def latency(histogram: Mapping[int, int]) -> Latency:
    """Count, median and p90 in days (to two decimals) of a histogram in tenths of a day."""
    median, p90 = quantiles(histogram, (0.5, 0.9))
    return Latency(
        sum(histogram.values()),
        None if median is None else round(median / 10, 2),
        None if p90 is None else round(p90 / 10, 2),
    )


def merged(histograms: Iterable[Mapping[int, int]]) -> Histogram:
    total: Histogram = Counter()
    for h in histograms:
        total.update(h)
    return total


# Waits as the monthly roll-up stores them (analytics.models.MonthlyCell.waits): each a signed 32-bit
# integer written as 8 hexadecimal digits, big-endian, no separator — so that the database concatenates
# the cells of a group into one string and Python reads it back as an array in one C call (a district's
# five years are ~50,000 waits per figure: parsing them as decimal text cost more than the query).
WAIT_DIGITS = 8


def pack(values: Iterable[int]) -> str:
    return "".join(f"{v & 0xFFFFFFFF:08x}" for v in values)


def unpack(text: str) -> array[int]:
    out = array("i")
    out.frombytes(bytes.fromhex(text))
    if sys.byteorder == "little":
        out.byteswap()
    return out


def latency_of(values: Iterable[int]) -> Latency:
    """latency() of the values themselves (waits in tenths of a day), counted in C."""
    return latency(Counter(values))
