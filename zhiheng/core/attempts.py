"""Refused attempts that must leave a trace whatever the refusal unwinds (SPEC RF1; issue 11).

A service that refuses an attempt the supervisors must learn of reports it, in its own terms, before it
raises the refusal:

    attempts.report("matter.restricted_attempt", actor=by.username, unit=matter.unit.code,
                    subject=matter.subject, facts={"action": "approve", ...})

The reporting app does not know who keeps the trace. The app that judges attempts (risk, at the top
layer) registers one recorder per kind from its AppConfig.ready(). The recorder runs

1. at once, inside the caller's transaction (in a savepoint of its own): the rest of that transaction,
   and a response committed with it (the API's idempotency middleware), see the record;
2. once more right after the caller's outermost transaction has ended, if that first write did not
   commit — the transaction, or a savepoint around the call, was rolled back: the usual fate of a page
   request under ATOMIC_REQUESTS, of a task, or of any caller that wraps the call in `atomic` and lets
   the refusal propagate (core/transactions.py runs it, outside any transaction).

Outside any transaction the first write commits by itself and there is no second pass. A recorder is
idempotent on `attempt.key` (one key per report) and skips an attempt whose world was rolled back with
it (its unit no longer exists). A recorder's failure is logged, never raised: the caller is about to
raise the refusal, which must reach its user unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from . import clock
from .transactions import after_transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """One refused attempt: what kind, by whom (username), in which unit (code), about what (subject,
    e.g. "matter:12"), when, and the facts its kind carries."""

    kind: str
    actor: str
    unit: str
    subject: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    at: dt.datetime = field(default_factory=clock.now)
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


Recorder = Callable[[Attempt], object]

_recorders: dict[str, Recorder] = {}


def register(kind: str, recorder: Recorder) -> None:
    """Keep attempts of `kind` with `recorder` (from an AppConfig.ready()); one recorder per kind."""
    existing = _recorders.get(kind)
    if existing is not None and existing is not recorder:
        raise ValueError(f"refused attempts of kind {kind!r} already have a recorder")
    _recorders[kind] = recorder


def recorder_for(kind: str) -> Recorder | None:
    return _recorders.get(kind)


def report(kind: str, *, actor: str, unit: str, subject: str, facts: Mapping[str, Any]) -> Attempt:
    """Hand a refused attempt to its recorder so that its trace outlives the refusal (see above)."""
    attempt = Attempt(kind=kind, actor=actor, unit=unit, subject=subject, facts=dict(facts))
    recorder = _recorders.get(kind)
    if recorder is None:
        log.error("no recorder for refused attempts of kind %r; lost: %r", kind, attempt)
        return attempt
    if not transaction.get_connection().in_atomic_block:
        _record(recorder, attempt)
        return attempt
    kept: list[bool] = []
    try:
        with transaction.atomic():
            recorder(attempt)
        # Dropped by Django if the transaction, or a savepoint around this point, rolls back.
        transaction.on_commit(lambda: kept.append(True))
    except Exception:
        log.warning(
            "refused attempt %s not recorded in the caller's transaction; retried after it", attempt.key
        )
    after_transaction(lambda: None if kept else _record(recorder, attempt))
    return attempt


def _record(recorder: Recorder, attempt: Attempt) -> None:
    try:
        recorder(attempt)
    except Exception:
        log.exception("refused attempt %r could not be recorded", attempt)
