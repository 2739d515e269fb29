"""Writes: issuing, renewing and revoking API tokens (issue 10: short-lived, revocable, dead with the
last term). Passwords are checked only by signin.sign_in, which throttles them."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from zhiheng import ledger
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org_selectors

from . import events, rules, selectors
from .models import ApiToken, Person
from .signin import AuthFailed, Throttled, sign_in

__all__ = [
    "AuthFailed",
    "Throttled",
    "issue_token",
    "person_for_token",
    "renew_token",
    "revoke_token",
    "revoke_tokens_of",
    "token_for",
]


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(person: Person, *, authenticated_at: dt.datetime) -> tuple[str, ApiToken]:
    now = clock.now()
    expires_at = min(
        now + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        authenticated_at + dt.timedelta(hours=settings.API_TOKEN_MAX_HOURS),
    )
    token = secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        person=person,
        digest=digest(token),
        created_at=now,
        authenticated_at=authenticated_at,
        expires_at=expires_at,
    )
    return token, row


def issue_token(*, username: str, password: str, address: str = "", channel: str = "api") -> str:
    """Check the credentials (throttled, recorded) and issue a bearer token of API_TOKEN_TTL_HOURS.

    AuthFailed — the same for an unknown user and a bad password; Throttled — 429 with retry_after;
    HasLeft — every term of this person has ended."""
    return issue_token_row(username=username, password=password, address=address, channel=channel)[0]


def issue_token_row(
    *, username: str, password: str, address: str = "", channel: str = "api"
) -> tuple[str, ApiToken]:
    person = sign_in(username=username, password=password, address=address, channel=channel)
    with transaction.atomic():
        return _new_token(person, authenticated_at=clock.now())


def _token_row(digest: str, day: dt.date) -> QuerySet[ApiToken]:
    standing = org_selectors.standing_annotations("person", day)
    return (
        ApiToken.objects.select_related("person")
        .filter(digest=digest)
        .annotate(had_term=standing["had_term"], holds_term=standing["holds_term"])
        .order_by("pk")[:1]
    )


# Every API request runs this query: compiled once per process, not on each request (issue 12).
_LIVE_TOKEN: CompiledQuery[ApiToken] = CompiledQuery(_token_row, digest=str, day=dt.date)


def token_for(token: str) -> ApiToken | None:
    """The live token row (with its person), or None if unknown, expired, revoked, its person inactive,
    or every term of its person ended (issue 10) — one query, plus a touch at most once a minute."""
    if not token or len(token) > 256:
        return None
    now = clock.now()
    rows = _LIVE_TOKEN.objects(digest=digest(token), day=clock.local_date(now))
    row = rows[0] if rows else None
    if row is None or not row.is_valid_at(now) or not row.person.is_active:
        return None
    if row.had_term and not row.holds_term:  # type: ignore[attr-defined]  # the query's annotations
        return None
    # Touch at most once a minute, so a busy client does not turn every read into a write.
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def person_for_token(token: str) -> Person | None:
    """The person a live bearer token belongs to (see token_for), or None."""
    row = token_for(token)
    return row.person if row is not None else None


def revoke_token(*, token: str) -> None:
    ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True).update(revoked_at=clock.now())


def revoke_own_token(*, by: Person, token_id: int) -> ApiToken:
    """A person revokes one of their own tokens; someone else's token is 404 like a missing one."""
    row = ApiToken.objects.filter(pk=token_id, person=by).first()
    if row is None:
        raise NotFound()
    ApiToken.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    row.refresh_from_db()
    return row


def revoke_all_own_tokens(*, by: Person) -> int:
    return ApiToken.objects.filter(person=by, revoked_at__isnull=True, expires_at__gt=clock.now()).update(
        revoked_at=clock.now()
    )


@transaction.atomic
def renew_token(*, current: ApiToken) -> tuple[str, ApiToken]:
    """A fresh token for the holder of a live one, which is revoked. The new one keeps the original
    sign-in time, so renewals never reach past it plus API_TOKEN_MAX_HOURS; a token renewed already
    (or revoked meanwhile) cannot be renewed again — the conditional update decides a race."""
    now = clock.now()
    ceiling = current.authenticated_at + dt.timedelta(hours=settings.API_TOKEN_MAX_HOURS)
    if ceiling <= now + dt.timedelta(minutes=1):
        raise AuthFailed("auth", "令牌已达最长有效期，请重新登录")
    revoked = ApiToken.objects.filter(pk=current.pk, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now
    )
    if revoked != 1:
        raise AuthFailed("auth", "未登录或令牌无效")
    return _new_token(current.person, authenticated_at=current.authenticated_at)


@transaction.atomic
def revoke_tokens_of(*, by: Person, username: str) -> int:
    """A commission admin revokes every live token of a person of their district (anyone who ever held a
    term or role there); anyone else, or a person outside their districts, is 404. Ledgered in the
    district, so the person's commission can see who cut them off and when."""
    person = selectors.get_person(username)
    district = rules.district_to_revoke_in(by, person)
    if district is None:
        raise NotFound()
    now = clock.now()
    count = ApiToken.objects.filter(person=person, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now
    )
    ledger.record(
        events.TOKENS_REVOKED.code,
        by=by,
        district=district.code,
        subject=f"person:{person.username}",
        payload={"username": person.username, "revoked": count},
    )
    return count
