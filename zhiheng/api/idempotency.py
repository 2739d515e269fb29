"""Idempotency-Key for every API write: a retried request with the same key returns the first
response and changes nothing (API.md conventions).

A middleware rather than per-endpoint code, so no write can forget it. The unique (owner, key) row
is claimed before the view runs; a concurrent duplicate finds the claim and gets 409 instead of
running twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from zhiheng.accounts.services import person_for_token
from zhiheng.core import clock

from .models import IdempotentRequest

API_PREFIX = "/api/v1/"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
STALE_AFTER = dt.timedelta(minutes=5)  # a claim whose request died is taken over after this


def _error(status: int, rule: str, message: str) -> HttpResponse:
    body = {"error": {"rule": rule, "message": message, "detail": {}}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def _owner(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        person = person_for_token(header[7:].strip())
        return person.username if person else None
    return None


class IdempotencyMiddleware:
    def __init__(self, get_response):
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

        claim = self._claim(owner, key, fingerprint)
        if isinstance(claim, HttpResponse):
            return claim
        response = self.get_response(request)
        if response.status_code >= 500:
            claim.delete()  # nothing was decided; let the client retry with the same key
        else:
            claim.status = response.status_code
            claim.content_type = response.get("Content-Type", "application/json")
            claim.body = response.content
            claim.save(update_fields=["status", "content_type", "body"])
        return response

    def _claim(self, owner: str, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(owner=owner, key=key, fingerprint=fingerprint)
        except IntegrityError:
            pass
        first = IdempotentRequest.objects.get(owner=owner, key=key)
        if first.fingerprint != fingerprint:
            return _error(422, "validation", "同一 Idempotency-Key 已用于另一个请求")
        if first.status is None:
            if clock.now() - first.created_at > STALE_AFTER:
                first.created_at = clock.now()
                first.save(update_fields=["created_at"])
                return first
            return _error(409, "idempotency", "相同 Idempotency-Key 的请求正在处理中")
        replay = HttpResponse(bytes(first.body), status=first.status, content_type=first.content_type)
        replay["Idempotent-Replayed"] = "true"
        return replay
