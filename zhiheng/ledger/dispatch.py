"""Committed entries delivered to the handlers upper layers subscribe (issue 11: red flags consume what
happened instead of being called by the apps they judge).

Domain-free: the ledger knows only "handlers for event codes". An upper layer (risk today; analytics and
the public portal later) subscribes from its AppConfig.ready():

    dispatch.subscribe("matter.approved", handler, name="risk.rf1_performed")

Once the transaction that recorded an entry has committed (with batched sequencing: once the integration that
gave it its index has committed), each handler subscribed to its code receives
it as a `Recorded` (index, code, unit, district, subject, actor, time, payload). Nothing is delivered for
a rolled-back entry: it never existed. Delivery happens

- embedded mode (no broker): in-process, right after the commit; a failing handler is logged and the
  others still run (the entry is committed whatever a handler does);
- production: a Celery task per entry (`ledger.tasks.deliver_entry`), enqueued on commit, retried;
- again by the subscriber's periodic catch-up (`replay(recorded_since=...)`) and on demand (`replay`).

Handlers must be idempotent — a retry, a replay (`replay(since=...)`, `zhiheng risk replay`) or the
periodic catch-up delivers the same entry again — typically through a unique constraint keyed on the
entry's index. Codes without subscribers cost nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from . import events

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Entry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recorded:
    """A committed entry as handlers see it; `payload` is the hashed payload."""

    index: int
    code: str
    unit: str
    district: str
    subject: str
    actor: str
    recorded_at: dt.datetime
    payload: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, entry: Entry) -> Recorded:
        body = json.loads(bytes(entry.data))
        return cls(
            index=entry.index,
            code=entry.event_type,
            unit=entry.unit,
            district=entry.district or "",
            subject=entry.subject,
            actor=entry.actor,
            recorded_at=entry.recorded_at,
            payload=body.get("payload", {}),
        )


Handler = Callable[[Recorded], object]

_handlers: dict[str, dict[str, Handler]] = {}
_replaying_instead = threading.local()


@contextlib.contextmanager
def replayed_by_caller() -> Iterator[None]:
    """Within this block, entries are NOT handed to their handlers after commit: the caller replays them
    itself (`replay`) — the demo builder, which writes a year of history in one transaction and replays
    it into the red flags at its end; delivering each entry again after the commit would run every
    handler twice (minutes, for nothing: the handlers are idempotent)."""
    previous = getattr(_replaying_instead, "on", False)
    _replaying_instead.on = True
    try:
        yield
    finally:
        _replaying_instead.on = previous


def subscribe(code: str, handler: Handler, *, name: str) -> None:
    """Deliver committed entries of `code` to `handler`; `name` identifies the subscription (a second
    subscription under the same name replaces the first, so a reloaded AppConfig does not double it)."""
    events.get(code)  # only registered codes: a typo would otherwise never fire
    _handlers.setdefault(code, {})[name] = handler


def unsubscribe(code: str, name: str) -> None:
    _handlers.get(code, {}).pop(name, None)


def subscribed_codes(prefix: str = "") -> list[str]:
    return sorted(code for code, named in _handlers.items() if any(n.startswith(prefix) for n in named))


def after_append(entry: Entry) -> None:
    """Called by ledger.record for every entry: deliver it once its transaction commits, if anyone listens."""
    if not _handlers.get(entry.event_type) or getattr(_replaying_instead, "on", False):
        return
    index = entry.index
    transaction.on_commit(lambda: _deliver_after_commit(index), robust=True)


def after_integration(index: int, code: str) -> None:
    """Batched sequencing (services/sequencing.py): called once the integration that gave a pending entry
    its index has committed — an entry is delivered only once it is in the tree, under its index."""
    if _handlers.get(code):
        _deliver_after_commit(index)


def _deliver_after_commit(index: int) -> None:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        deliver_quietly(index)
        return
    from . import tasks

    tasks.deliver_entry.delay(index)


def deliver_quietly(index: int) -> None:
    """In-process delivery after a commit: a failure is logged; `zhiheng risk replay` delivers again."""
    try:
        deliver(index, quiet=True)
    except Exception:
        log.exception("ledger: delivering entry #%s to its handlers failed", index)


def deliver(index: int, *, prefix: str = "", quiet: bool = False) -> int:
    """Hand entry `index` to every handler of its code (whose name starts with `prefix`); returns how
    many ran. A failing handler is logged and the others still run; then the first failure is raised
    (so a task retries), unless `quiet`."""
    from .models import Entry

    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        return 0
    ran, failure = _deliver(Recorded.of(entry), prefix=prefix)
    if failure is not None and not quiet:
        raise failure
    return ran


def _deliver(recorded: Recorded, *, prefix: str) -> tuple[int, Exception | None]:
    ran, failure = 0, None
    for name, handler in list(_handlers.get(recorded.code, {}).items()):
        if not name.startswith(prefix):
            continue
        try:
            handler(recorded)
            ran += 1
        except Exception as exc:
            log.exception("ledger: handler %s failed on entry #%s", name, recorded.index)
            failure = failure or exc
    return ran, failure


def replay(
    *,
    since: int = 0,
    until: int | None = None,
    recorded_since: dt.datetime | None = None,
    prefix: str = "",
    batch: int = 500,
) -> int:
    """Deliver the stored entries since..until (indexes, inclusive; or recorded since a moment) again, in
    index order, to the handlers whose name starts with `prefix`; returns how many deliveries ran.
    Idempotent handlers make this safe to repeat. A failing handler is logged, the replay goes on, and
    the first failure is raised at the end."""
    from .models import Entry

    codes = subscribed_codes(prefix)
    if not codes:
        return 0
    rows = Entry.objects.filter(event_type__in=codes, index__gte=since)
    if until is not None:
        rows = rows.filter(index__lte=until)
    if recorded_since is not None:
        rows = rows.filter(recorded_at__gte=recorded_since)
    ran, failure = 0, None
    for entry in _in_batches(rows.order_by("index"), batch):
        done, failed = _deliver(Recorded.of(entry), prefix=prefix)
        ran, failure = ran + done, failure or failed
    if failure is not None:
        raise failure  # after every entry had its turn: one broken handler does not starve the rest
    return ran


def _in_batches(rows: QuerySet[Entry], size: int) -> Iterator[Entry]:
    last = -1
    while page := list(rows.filter(index__gt=last)[:size]):
        yield from page
        last = page[-1].index
