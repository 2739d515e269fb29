"""Abuse limits of the public channel (R-SUP-3) that never identify the reporter: a fixed window per client
address in Django's cache — submissions, and failed receipt look-ups (guessing). The address is kept only as a
keyed hash in the cache key, for the window, and never written with a report or in the ledger; a successful
follow-up does not count. Someone behind a shared address (a library, a NAT) may be slowed by others, which is
the price of not knowing who anyone is."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from .errors import TooManyAttempts


def _key(kind: str, address: str, window: int) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{address}".encode(), hashlib.sha256).hexdigest()
    return f"reports:{kind}:{window}:{mac[:32]}"


def _window() -> tuple[int, int]:
    size = settings.REPORTS_WINDOW_SECONDS
    now = int(time.time())
    return now // size, size - now % size


def _limit(kind: str) -> int:
    return int(
        settings.REPORTS_SUBMISSIONS_PER_WINDOW if kind == "submit" else settings.REPORTS_GUESSES_PER_WINDOW
    )


def ensure_allowed(kind: str, address: str) -> None:
    """Raise TooManyAttempts (429) when `address` used up its `kind` ("submit" | "guess") in this window."""
    window, left = _window()
    if int(cache.get(_key(kind, address, window), 0)) >= _limit(kind):
        raise TooManyAttempts(left)


def count(kind: str, address: str) -> None:
    window, left = _window()
    key = _key(kind, address, window)
    if not cache.add(key, 1, timeout=left + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=left + 1)
