"""Signing in with a password, for the API and the login page alike (issue 10, docs/decisions/0010).

sign_in() is the only place a password is checked. In order:
  1. a short transaction locks the three counters of the attempt (pair, account, address; created on
     first use) and decides whether the attempt is heard at all; if it is, it is counted as a failure
     *before* the password is checked, so a burst of parallel guesses cannot all slip in before the
     first one is counted;
  2. the password is checked outside any transaction (hashing is slow; no lock is held meanwhile);
  3. a second short transaction settles the counters: a success clears the pair and gives back the
     attempt to the account and address counters; a failure stays counted, and when it keeps an
     account (or address) throttled the ledger hears of it, at most once an hour per account or address.
Every attempt — heard or not — is recorded in LoginAttempt (time, username tried, address, outcome).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q

from zhiheng import ledger
from zhiheng.accounts.selectors import find_person
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.org import selectors as org_selectors

from . import backoff, events
from .models import LoginAttempt, LoginOutcome, LoginThrottle, Person, ThrottleKind


class AuthFailed(DomainError):
    status = 401
    default_rule = "auth"


class Throttled(DomainError):
    """Too many failed sign-ins: 429 with Retry-After (API.md: repeated failed logins → 429)."""

    status = 429
    default_rule = "auth"

    def __init__(self, retry_after: int) -> None:
        super().__init__("auth", f"登录失败次数过多，请 {retry_after} 秒后再试", {"retry_after": retry_after})
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class HasLeft(AuthFailed):
    """The password is right, but every term of office has ended (issue 10: sign-in ends with the last term)."""

    def __init__(self) -> None:
        super().__init__("auth", "您的任职均已结束，账户不能再登录")


WRONG_CREDENTIALS = "用户名或密码错误"


def request_address(request: Any) -> str:
    """The client's address for throttling: REMOTE_ADDR, or X-Forwarded-For as set by one of the
    reverse proxies named in ZHIHENG_TRUSTED_PROXIES (nobody else may choose their address)."""
    meta = request.META
    return backoff.client_address(
        meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), frozenset(settings.TRUSTED_PROXIES)
    )


@dataclass
class _Gate:
    pair: LoginThrottle
    account: LoginThrottle
    address: LoginThrottle
    known: bool  # this address signed in to this account within KNOWN_FOR

    def counted(self) -> list[tuple[LoginThrottle, backoff.Limit]]:
        """The counters a failure of this attempt adds to: a known address only answers for the pair."""
        if self.known:
            return [(self.pair, backoff.PAIR)]
        return [(self.pair, backoff.PAIR), (self.account, backoff.ACCOUNT), (self.address, backoff.ADDRESS)]


def _key(kind: str, username: str, address: str) -> str:
    return {
        "pair": f"pair:{address}|{username}",
        "account": f"account:{username}",
        "address": f"address:{address}",
    }[kind]


def _locked_gate(username: str, address: str, now: dt.datetime) -> _Gate:
    rows = {
        ThrottleKind.PAIR: LoginThrottle(
            key=_key("pair", username, address), kind=ThrottleKind.PAIR, username=username, address=address
        ),
        ThrottleKind.ACCOUNT: LoginThrottle(
            key=_key("account", username, address), kind=ThrottleKind.ACCOUNT, username=username
        ),
        ThrottleKind.ADDRESS: LoginThrottle(
            key=_key("address", username, address), kind=ThrottleKind.ADDRESS, address=address
        ),
    }
    # Concurrent first attempts meet on the unique key: whoever comes second creates nothing.
    LoginThrottle.objects.bulk_create(list(rows.values()), ignore_conflicts=True)
    found = {
        row.kind: row
        for row in LoginThrottle.objects.select_for_update().filter(key__in=[r.key for r in rows.values()])
    }
    pair = found[ThrottleKind.PAIR]
    known = pair.last_success_at is not None and now - pair.last_success_at < backoff.KNOWN_FOR
    return _Gate(
        pair=pair, account=found[ThrottleKind.ACCOUNT], address=found[ThrottleKind.ADDRESS], known=known
    )


def _wait_until(gate: _Gate, now: dt.datetime) -> dt.datetime | None:
    """When this attempt may be heard, if not now. The account's soft limit never holds back a known
    address, nor an address that has not failed for this account yet (its first try is always heard)."""
    holds = [gate.pair.locked_until]
    if not gate.known:
        holds.append(gate.address.locked_until)
        if backoff.current_failures(gate.pair.failures, gate.pair.last_failure_at, now) > 0:
            holds.append(gate.account.locked_until)
    waiting = [until for until in holds if until is not None and until > now]
    return max(waiting) if waiting else None


def _count_failure(row: LoginThrottle, limit: backoff.Limit, now: dt.datetime) -> None:
    row.failures = backoff.current_failures(row.failures, row.last_failure_at, now) + 1
    row.last_failure_at = now
    delay = limit.delay_after(row.failures)
    row.locked_until = now + dt.timedelta(seconds=delay) if delay else None
    row.save(update_fields=["failures", "last_failure_at", "locked_until"])


def _record(username: str, address: str, channel: str, outcome: str) -> None:
    LoginAttempt.objects.create(
        at=clock.now(), username=username, address=address, channel=channel, outcome=outcome
    )


def sign_in(*, username: str, password: str, address: str = "", channel: str = "api") -> Person:
    """The person whose password this is, or AuthFailed (the same for an unknown user and a wrong
    password), Throttled (429, with retry_after) or HasLeft. Never stores the password."""
    username = (username or "")[:150]
    address = backoff.network_key(address)
    now = clock.now()
    with transaction.atomic():
        gate = _locked_gate(username, address, now)
        until = _wait_until(gate, now)
        if until is None:
            for row, limit in gate.counted():
                _count_failure(row, limit, now)  # counted first; given back below on success
        else:
            _record(username, address, channel, LoginOutcome.THROTTLED)
    if until is not None:
        raise Throttled(backoff.retry_after_seconds(until, now))

    person = authenticate(username=username, password=password)
    if person is None or not person.is_active:
        _settle_failure(gate, username, address, channel)
        raise AuthFailed("auth", WRONG_CREDENTIALS)
    left = org_selectors.has_left(person)
    _settle_success(gate, username, address, channel, left=left)
    if left:
        raise HasLeft()
    return person


@transaction.atomic
def _settle_success(gate: _Gate, username: str, address: str, channel: str, *, left: bool) -> None:
    now = clock.now()
    pair_update: dict[str, Any] = {"failures": 0, "last_failure_at": None, "locked_until": None}
    if not left:
        pair_update["last_success_at"] = now
    LoginThrottle.objects.filter(pk=gate.pair.pk).update(**pair_update)
    if not gate.known:
        for row, limit in gate.counted()[1:]:
            _give_back(row, limit)
    _record(username, address, channel, LoginOutcome.REFUSED if left else LoginOutcome.SUCCESS)


def _give_back(row: LoginThrottle, limit: backoff.Limit) -> None:
    """Take back the failure counted for an attempt that succeeded (the account's and the address's
    counts of *other* failures stay: a success does not prove those were the owner's typos)."""
    row = LoginThrottle.objects.select_for_update().get(pk=row.pk)
    if row.failures == 0:
        return
    row.failures -= 1
    if limit.delay_after(row.failures) == 0:
        row.locked_until = None
    row.save(update_fields=["failures", "locked_until"])


@transaction.atomic
def _settle_failure(gate: _Gate, username: str, address: str, channel: str) -> None:
    _record(username, address, channel, LoginOutcome.FAILURE)
    now = clock.now()
    rows = {row.kind: row for row in LoginThrottle.objects.filter(pk__in=[r.pk for r, _ in gate.counted()])}
    pair, account = rows[ThrottleKind.PAIR], rows.get(ThrottleKind.ACCOUNT)
    account_throttled = [
        r for r in (pair, account) if r is not None and r.locked_until and r.locked_until > now
    ]
    if account_throttled and _claim_ledger_turn(gate.account, now):
        person = find_person(username)
        if person is not None:  # attempts on names nobody holds stay in LoginAttempt only
            _ledger_account(person, address, pair, account, now)
    spray = rows.get(ThrottleKind.ADDRESS)
    if (
        spray is not None
        and spray.locked_until
        and spray.locked_until > now
        and _claim_ledger_turn(spray, now)
    ):
        ledger.record(
            events.LOGIN_THROTTLED.code,
            subject=f"address:{address}",
            payload={
                "scope": "address",
                "address": address,
                "failures": spray.failures,
                "retry_after": backoff.retry_after_seconds(spray.locked_until, now),
            },
        )


def _claim_ledger_turn(row: LoginThrottle, now: dt.datetime) -> bool:
    """At most one ledger entry per counter per LEDGER_EVERY; the conditional update decides the race."""
    due = Q(ledgered_at__isnull=True) | Q(ledgered_at__lte=now - backoff.LEDGER_EVERY)
    return LoginThrottle.objects.filter(due, pk=row.pk).update(ledgered_at=now) == 1


def _ledger_account(
    person: Person, address: str, pair: LoginThrottle, account: LoginThrottle | None, now: dt.datetime
) -> None:
    holds = [r.locked_until for r in (pair, account) if r is not None and r.locked_until]
    payload = {
        "scope": "account",
        "username": person.username,
        "address": address,
        "failures_from_address": pair.failures,
        "failures_from_unknown_addresses": account.failures if account is not None else None,
        "retry_after": backoff.retry_after_seconds(max(holds), now),
    }
    districts = org_selectors.current_district_codes(person) or [""]
    for district in districts:  # scoped to the person's district(s), so only their commission reads it
        ledger.record(
            events.LOGIN_THROTTLED.code,
            district=district,
            subject=f"person:{person.username}",
            payload=payload,
        )


ATTEMPTS_KEPT_FOR = dt.timedelta(days=180)


@transaction.atomic
def prune_login_records() -> tuple[int, int]:
    """Forget what no longer matters: attempts older than ATTEMPTS_KEPT_FOR (the ledger keeps what was
    repeated), and counters with no failure within FORGET_AFTER, no lock running and no sign-in within
    KNOWN_FOR. Returns (attempts, counters) deleted; idempotent."""
    now = clock.now()
    attempts, _ = LoginAttempt.objects.filter(at__lt=now - ATTEMPTS_KEPT_FOR).delete()
    idle = (
        (Q(last_failure_at__isnull=True) | Q(last_failure_at__lt=now - backoff.FORGET_AFTER))
        & (Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        & (Q(last_success_at__isnull=True) | Q(last_success_at__lt=now - backoff.KNOWN_FOR))
    )
    counters, _ = LoginThrottle.objects.filter(idle).delete()
    return attempts, counters
