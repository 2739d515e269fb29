"""Idempotency-Key (API.md conventions; issue 10 finding 5): the key's record, the effect and the stored
response commit together, so a retry after any crash replays the first answer or performs the effect
once. The kill -9 proof over real processes is test_idempotency_crash.py (PostgreSQL)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client

from zhiheng.api.models import IdempotentRequest
from zhiheng.ledger.models import Entry
from zhiheng.matters import services
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import bearer_client, small_matter
from zhiheng.risk.models import Warning


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing turns it into a response."""


def _as(person) -> Client:
    return bearer_client(person, raise_request_exception=False)


def _approve(client: Client, matter: Matter, key: str = "k-1", comment: str = ""):
    return client.post(
        f"/api/v1/matters/{matter.pk}/approve",
        {"comment": comment},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def _approvals(matter: Matter) -> int:
    return matter.events.filter(action="approved").count()


def test_a_crash_after_the_effect_loses_the_key_and_the_effect_so_the_retry_approves_once(mw, monkeypatch):
    """The old middleware committed the key alone first: the retry then found it "in flight" (409)."""
    matter, deputy = small_matter(mw), _as(mw.deputy)
    real = services.approve

    def approve_then_die(**kwargs):
        real(**kwargs)  # the effect is written …
        raise Crash  # … and the process dies before the response is stored

    monkeypatch.setattr(services, "approve", approve_then_die)
    with pytest.raises(Crash):
        _approve(deputy, matter)
    assert Matter.objects.get(pk=matter.pk).state == "submitted"  # nothing was committed
    assert not IdempotentRequest.objects.filter(key="k-1").exists()

    monkeypatch.setattr(services, "approve", real)  # the restarted server
    entries = Entry.objects.count()
    retry = _approve(deputy, matter)
    assert retry.status_code == 200, retry.content
    assert "Idempotent-Replayed" not in retry
    assert _approvals(matter) == 1 and Entry.objects.count() == entries + 1
    again = _approve(deputy, matter)
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (200, retry.content, "true")
    assert _approvals(matter) == 1 and Entry.objects.count() == entries + 1


def test_a_crash_before_the_effect_lets_the_retry_run(mw, monkeypatch):
    matter, deputy = small_matter(mw), _as(mw.deputy)
    real = services.approve

    def die(**kwargs):
        raise Crash

    monkeypatch.setattr(services, "approve", die)
    with pytest.raises(Crash):
        _approve(deputy, matter)
    monkeypatch.setattr(services, "approve", real)
    retry = _approve(deputy, matter)
    assert retry.status_code == 200, retry.content
    assert _approvals(matter) == 1


def test_a_5xx_rolls_back_the_effect_with_the_key(mw, monkeypatch):
    """The old middleware let the effect commit, then released the key: the retry answered 409 R-MAT-1."""
    matter, deputy = small_matter(mw), _as(mw.deputy)
    real = services.approve

    def approve_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "approve", approve_then_fail)
    failed = _approve(deputy, matter)
    assert failed.status_code == 500 and failed.json()["error"]["rule"] == "internal"
    assert Matter.objects.get(pk=matter.pk).state == "submitted"
    assert not IdempotentRequest.objects.filter(key="k-1").exists()
    monkeypatch.setattr(services, "approve", real)
    retry = _approve(deputy, matter)
    assert retry.status_code == 200, retry.content
    assert _approvals(matter) == 1


def test_a_refusal_is_kept_with_its_rf1_warning_and_replayed(mw):
    matter, principal = small_matter(mw), _as(mw.principal)
    first = _approve(principal, matter, comment="我批了")
    assert first.status_code == 403 and first.json()["error"]["rule"] == "R-MAT-2"
    assert Warning.objects.filter(rule="RF1").count() == 1  # written in the refused request's transaction
    entries = Entry.objects.count()
    again = _approve(principal, matter, comment="我批了")
    assert (again.status_code, again.content, again["Idempotent-Replayed"]) == (403, first.content, "true")
    assert Warning.objects.filter(rule="RF1").count() == 1 and Entry.objects.count() == entries
    assert Matter.objects.get(pk=matter.pk).state == "submitted"


def test_the_same_key_with_another_body_is_422_and_changes_nothing(mw):
    matter, deputy = small_matter(mw), _as(mw.deputy)
    assert _approve(deputy, matter, comment="同意").status_code == 200
    other = _approve(deputy, matter, comment="另一意见")
    assert other.status_code == 422 and other.json()["error"]["rule"] == "validation"
    assert _approvals(matter) == 1


def test_keys_belong_to_their_caller(mw):
    first, second = small_matter(mw), small_matter(mw)
    assert _approve(_as(mw.deputy), first).status_code == 200
    # Another caller's identical key is another request.
    assert _approve(_as(mw.staff), second).status_code == 403
    assert IdempotentRequest.objects.filter(key="k-1").count() == 2


def test_a_claim_left_by_the_old_middleware_is_run_again(mw):
    """A row committed without a response before issue 10 is not "in flight" forever."""
    matter, deputy = small_matter(mw), _as(mw.deputy)
    request = f"POST /api/v1/matters/{matter.pk}/approve\n".encode() + json.dumps({"comment": ""}).encode()
    IdempotentRequest.objects.create(
        owner="t-deputy", key="k-1", fingerprint=hashlib.sha256(request).hexdigest()
    )
    retry = _approve(deputy, matter)
    assert retry.status_code == 200 and "Idempotent-Replayed" not in retry, retry.content
    assert _approvals(matter) == 1
    assert IdempotentRequest.objects.get(key="k-1").status == 200
