"""Idempotency-Key for every API write: a retried request with the same key returns the first
response and changes nothing (API.md conventions).

A middleware rather than per-endpoint code, so no write can forget it. A keyed write runs in ONE
database transaction that holds, in this order: the (owner, key) row, the view's effect, and the
response stored on that row (issue 10 finding 5, docs/decisions/0010). A crash before the commit
loses all three, so the retry performs the effect once; a crash after it keeps all three, so the
retry replays the first response. There is no committed "in flight" state to go stale.

A concurrent duplicate is answered 409 `idempotency` without waiting: on PostgreSQL the key's
transaction-scoped advisory lock is tried first (held until that transaction ends); on SQLite the
writers are serialised by BEGIN IMMEDIATE, so a duplicate waits and then finds the stored response.
A refusal (4xx) is a response like any other: it is committed with what the refusing path wrote (an
RF1 warning, matters/services.py) and replayed. A 5xx rolls everything back.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from .models import IdempotentRequest

API_PREFIX = "/api/v1/"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _error(status: int, rule: str, message: str) -> HttpResponse:
    body = {"error": {"rule": rule, "message": message, "detail": {}}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


class _TokenOwner(Protocol):
    """What the middleware reads of the token's person (accounts' Person, which it may not import)."""

    @property
    def username(self) -> str: ...


@functools.cache
def _person_for_token() -> Callable[[str], _TokenOwner | None]:
    """The accounts app's token lookup, named in settings (API_TOKEN_RESOLVER): this plumbing sits below
    the apps and imports none of them."""
    resolver: Callable[[str], _TokenOwner | None] = import_string(settings.API_TOKEN_RESOLVER)
    return resolver


def _owner(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        person = _person_for_token()(header[7:].strip())
        return person.username if person else None
    return None


def _in_flight() -> HttpResponse:
    return _error(409, "idempotency", "相同 Idempotency-Key 的请求正在处理中")


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if len(key) > 128:
            return _error(422, "validation", "Idempotency-Key 过长（最多 128 个字符）")
        owner = _owner(request)
        if owner is None:  # unauthenticated: let the API answer 401 as usual
            return self.get_response(request)
        fingerprint = hashlib.sha256(
            request.method.encode() + b" " + request.get_full_path().encode() + b"\n" + request.body
        ).hexdigest()

        with transaction.atomic():
            claim = self._claim(owner, key, fingerprint)
            if isinstance(claim, HttpResponse):
                return claim
            response = self.get_response(request)  # the middleware chain turns exceptions into 5xx
            if response.status_code >= 500 or response.streaming or connection.needs_rollback:
                transaction.set_rollback(True)  # nothing was decided: the key, the effect and all go
                return response
            claim.status = response.status_code
            claim.content_type = response.get("Content-Type", "application/json")
            claim.body = response.content
            claim.save(update_fields=["status", "content_type", "body"])
        return response  # sent only after the commit: a client never sees an answer that was not kept

    def _claim(self, owner: str, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
        """Inside the request's transaction: the new (owner, key) row, or the answer for a repeat."""
        if connection.vendor == "postgresql" and not _try_lock(owner, key):
            return _in_flight()
        first = IdempotentRequest.objects.filter(owner=owner, key=key).first()
        if first is None:
            try:
                with transaction.atomic():
                    return IdempotentRequest.objects.create(owner=owner, key=key, fingerprint=fingerprint)
            except IntegrityError:  # another database's concurrent writer got there first
                return _in_flight()
        if first.fingerprint != fingerprint:
            return _error(422, "validation", "同一 Idempotency-Key 已用于另一个请求")
        if first.status is None:
            # A claim committed alone by the old middleware (before issue 10): whether its effect happened
            # is unknown to it; run the request again under the new guarantee.
            return first
        replay = HttpResponse(bytes(first.body), status=first.status, content_type=first.content_type)
        replay["Idempotent-Replayed"] = "true"
        return replay


def _try_lock(owner: str, key: str) -> bool:
    """PostgreSQL: take the key's advisory lock for this transaction, or learn that another holds it."""
    digest = hashlib.sha256(f"idempotency\0{owner}\0{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )
        return bool(cursor.fetchone()[0])
