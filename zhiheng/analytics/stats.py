"""Medians and 90th percentiles from histograms, without the rows (pure: no ORM, no queries).

Latency is measured in tenths of a day (2.4 hours): each matter's wait, submitted → decided, is rounded to
the nearest tenth of a day in SQL, and the database returns how many matters waited each number of tenths
(`GROUP BY key, tenths`). The page then reads a few thousand (value, count) pairs however many matters
there are, and the percentiles below are exact over the rounded waits: the linear interpolation between
order statistics (numpy's default, `statistics.quantiles(method="inclusive")`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Histogram = Counter[int]  # tenths of a day → how many matters waited that long


@dataclass(frozen=True)
class Latency:
    count: int
    median_days: float | None
    p90_days: float | None


def quantile(histogram: Mapping[int, int], q: float) -> float | None:
    """The q-quantile (0 ≤ q ≤ 1) of the values a histogram counts, in the histogram's unit; None if empty."""
    total = sum(histogram.values())
    if total == 0:
        return None
    position = (total - 1) * q
    low_rank = int(position)
    high_rank = min(low_rank + 1, total - 1)
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return low + (high - low) * (position - low_rank)


def latency(histogram: Mapping[int, int]) -> Latency:
    """Count, median and p90 in days (to two decimals) of a histogram in tenths of a day."""
    median, p90 = quantile(histogram, 0.5), quantile(histogram, 0.9)
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
