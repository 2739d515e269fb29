"""Login throttling arithmetic (issue 10): pure values and functions, no ORM, tested without a database.

Three counters decide whether a sign-in attempt is heard at all (docs/decisions/0010):
  - PAIR    — failures of one account from one address: exponential back-off after PAIR.free;
  - ACCOUNT — failures of one account from addresses it has never signed in from (a soft limit: it
              slows unknown addresses that already failed, never the owner's known addresses, and a
              fresh address always gets its first try);
  - ADDRESS — failures from one address against accounts it does not know (password spraying).
A counter left alone for FORGET_AFTER starts again; a delay never exceeds the limit's max_delay.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """`free` failures are heard without delay; after that each failure doubles the wait, from
    `first_delay` up to `max_delay` seconds."""

    free: int
    first_delay: int = 1
    max_delay: int = 15 * 60

    def delay_after(self, failures: int) -> int:
        """Seconds before the next attempt is heard, once `failures` failures are counted."""
        if failures <= self.free:
            return 0
        doublings = min(failures - self.free - 1, 30)  # 2**30 s is far past any max_delay
        return min(self.first_delay << doublings, self.max_delay)  # first_delay * 2**doublings, as an int


PAIR = Limit(free=5)
ACCOUNT = Limit(free=10)
ADDRESS = Limit(free=30)

FORGET_AFTER = dt.timedelta(hours=24)  # a counter without a new failure for this long starts from zero
KNOWN_FOR = dt.timedelta(days=90)  # an address is "known" to an account for this long after a sign-in
LEDGER_EVERY = dt.timedelta(hours=1)  # at most one ledger entry per account (or address) per hour

NO_ADDRESS = "-"  # callers without a network address: tests, the command line


def network_key(address: str | None) -> str:
    """The address a counter is kept for: an IPv4 address as is, an IPv6 address by its /64 network
    (one host usually owns a whole /64, so counting single IPv6 addresses would be trivial to dodge)."""
    if not address:
        return NO_ADDRESS
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return NO_ADDRESS
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_address(
    remote_addr: str | None, forwarded_for: str | None, trusted_proxies: frozenset[str]
) -> str:
    """The client's address: REMOTE_ADDR, unless it is one of our own reverse proxies, in which case the
    right-most X-Forwarded-For entry that is not one of them (entries further left are client-supplied
    and could be forged)."""
    remote = (remote_addr or "").strip()
    if remote not in trusted_proxies or not forwarded_for:
        return remote
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if hop and hop not in trusted_proxies:
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return remote


def current_failures(failures: int, last_failure_at: dt.datetime | None, now: dt.datetime) -> int:
    """The count that still applies: zero once FORGET_AFTER has passed since the last failure."""
    if last_failure_at is None or now - last_failure_at >= FORGET_AFTER:
        return 0
    return failures


def retry_after_seconds(until: dt.datetime, now: dt.datetime) -> int:
    """Whole seconds to wait (at least 1), for the Retry-After header."""
    return max(1, int((until - now).total_seconds() + 0.999999))
