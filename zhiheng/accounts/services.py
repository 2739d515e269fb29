"""Writes: issuing and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction

from zhiheng.core import clock
from zhiheng.core.errors import DomainError

from .models import ApiToken, Person


class AuthFailed(DomainError):
    status = 401
    default_rule = "auth"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, username: str, password: str) -> str:
    """Check the credentials and issue a bearer token; the same answer for an unknown user and a bad password."""
    person = authenticate(username=username, password=password)
    if person is None or not person.is_active:
        raise AuthFailed("auth", "用户名或密码错误")
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        person=person,
        digest=digest(token),
        expires_at=clock.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return token


def person_for_token(token: str) -> Person | None:
    """The active person a bearer token belongs to, or None if it is unknown, expired or revoked."""
    if not token or len(token) > 256:
        return None
    row = ApiToken.objects.select_related("person").filter(digest=digest(token)).first()
    now = clock.now()
    if row is None or not row.is_valid_at(now) or not row.person.is_active:
        return None
    # Touch at most once a minute, so a busy client does not turn every read into a write.
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.person


def revoke_token(*, token: str) -> None:
    ApiToken.objects.filter(digest=digest(token), revoked_at__isnull=True).update(revoked_at=clock.now())
