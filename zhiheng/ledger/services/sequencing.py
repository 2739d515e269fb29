"""Batched sequencing (issue 12, docs/decisions/0017): entries durable first, integrated in batches.

Two modes, chosen by settings.LEDGER_SEQUENCING:

- "inline" (the embedded SQLite default, and the tests'): `record()` appends at once under the Head
  lock (appending.py) — the recording transaction holds the ledger lock until it commits.
- "batched" (PostgreSQL in production): `record()` inserts one Pending row inside the caller's
  transaction and takes no shared lock, so the entry commits — or rolls back — with the domain change it
  records, and writers on different units never wait for each other. After the commit the recording
  process runs the integrator (`integrate`): under the Head lock it takes every committed pending row,
  gives them the next indices in pending-id order, writes their entries (canonical bytes built now from
  the pending row: the index, then the body captured at record() time), the subtree hashes they complete
  and the head, resolves the anchors callers kept (`resolvers`), and deletes the pending rows — in one
  transaction. One integrator runs at a time (the Head lock); one batch integrates everyone waiting.

What this guarantees, whatever process dies when (kill -9 included):
- nothing decided without its entry: the pending row is in the domain transaction;
- no gap, no fork: indices are only ever given under the Head lock, from head.size, consecutively;
- nothing lost, nothing twice: an integration commits entries, head and pending deletions together (or
  nothing), and Entry.pending is unique; a pending row left by a crash between the commit and the
  integration is taken by the next integration — the next write's, or the sweep's (`integrate_all`:
  `zhiheng ledger integrate`, the Celery beat task `zhiheng.ledger.tasks.integrate` every
  LEDGER_INTEGRATE_SECONDS, and the checkpoint job before it checks what is due).

After the integration commits: the entries are handed to the dispatch handlers (dispatch.py) and a
checkpoint is issued if one is due — one design with the frequent checkpoints of issue 10.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, overload

from django.conf import settings
from django.db import transaction

from zhiheng.core import clock

from .. import events, merkle
from ..canonical import index_prefix
from ..models import Entry, Head, Node, Pending
from .appending import entry_bytes
from .checkpoints import checkpoint_when_due_quietly
from .head import locked_head

log = logging.getLogger(__name__)

BATCH = 5000  # pending rows integrated per transaction (a backlog takes several)

# name -> resolver(mapping of pending id -> index), run inside each integration transaction
Resolver = Callable[[Mapping[int, int]], object]
_resolvers: dict[str, Resolver] = {}


def mode() -> str:
    """ "inline" or "batched" (settings.LEDGER_SEQUENCING; anything else is a configuration error)."""
    value = str(getattr(settings, "LEDGER_SEQUENCING", "inline") or "inline")
    if value not in ("inline", "batched"):
        raise ValueError(f"LEDGER_SEQUENCING must be 'inline' or 'batched', not {value!r}")
    return value


def batched() -> bool:
    return mode() == "batched"


def register_resolver(name: str, resolver: Resolver) -> None:
    """Have `resolver` told, inside each integration transaction, the index each pending id received.

    For callers that keep a reference to their entry (MatterEvent.ledger_index, ParameterVersion's):
    in batched mode they store the pending id `record()` returned and fill in the index here — in the same
    transaction as the integration, so there is no moment when the entry is in the tree and the anchor
    still unresolved. A resolver must only touch its own rows; a failure rolls the integration back."""
    _resolvers[name] = resolver


def record_pending(
    *, event_type: str, actor: str, unit: str, district: str, subject: str, payload: dict[str, Any]
) -> Entry:
    """Insert the pending row inside the caller's transaction; integrate once it commits.

    Returns an unsaved Entry describing it: `index` None (not yet integrated, 待入账), `pending` its id.
    """
    events.get(event_type)
    moment = clock.now()
    body = entry_bytes(
        index=0,
        event_type=event_type,
        actor=actor,
        unit=unit,
        subject=subject,
        moment=moment,
        payload=payload,
    )
    body = b"{" + body[len(index_prefix(0)) :]  # the canonical bytes without the index
    # What the pending row and the entry it will become both hold.
    header = {
        "event_type": event_type,
        "unit": unit,
        "district": district,
        "subject": subject,
        "actor": actor,
        "recorded_at": moment,
    }
    pending = Pending.objects.create(**header, body=body.decode())
    schedule_integration_after_commit(pending.pk)
    # index None: not yet integrated (待入账)
    return Entry(index=None, **header, data=b"", leaf_hash=b"", pending=pending.pk)  # type: ignore[misc]


class _Integration:
    """The after-commit trigger of one recording transaction, holding the pending ids it recorded."""

    def __init__(self, pending: int) -> None:
        self.ids = [pending]

    def __call__(self) -> None:
        integrate_quietly(self.ids)


def schedule_integration_after_commit(pending: int) -> None:
    """Once per recording transaction: integrate after its commit (at once outside a transaction).

    With LEDGER_INTEGRATE_AFTER_COMMIT off, nothing: a dedicated integrator process
    (`zhiheng ledger integrate --loop --interval 0.1`, supervised) integrates in larger batches, and the
    recording process returns as soon as its transaction has committed (Tessera's shape)."""
    if not getattr(settings, "LEDGER_INTEGRATE_AFTER_COMMIT", True):
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        integrate_quietly([pending])
        return
    for _, callback, _ in conn.run_on_commit:
        if isinstance(callback, _Integration):
            callback.ids.append(pending)
            return
    transaction.on_commit(_Integration(pending))


def integrate_quietly(pending: list[int] | None = None) -> None:
    """The after-commit trigger: the pending rows are committed whatever happens here; a failure is logged
    and the sweep (or the next write) integrates them."""
    try:
        if pending:
            integrate_until_in_tree(pending)
        else:
            integrate_all()
    except Exception:
        log.exception("ledger: integrating pending entries failed; the sweep will retry")


def integrate_until_in_tree(pending: list[int]) -> None:
    """Return once every row of `pending` is integrated — by this process or by another's batch.

    If the integrator lock is free, integrate everyone waiting. If another process holds it, do not queue
    behind it (a queue of integrations that each find nothing left would hold the lock in turn): wait a
    little and look again — one indexed read — until the rows are gone or the lock is free. A holder
    that dies releases the lock with its connection, so this never waits for a dead process."""
    delay = 0.001
    while True:
        if try_integrate_all() is not None:
            return  # we held the lock after our commit: everything committed before, ours too, is in
        # another integration is running: it, or the next one, takes ours
        time.sleep(delay)
        delay = min(delay * 2, 0.032)
        if not Pending.objects.filter(pk__in=pending).exists():
            return


def integrate_all() -> int:
    """Integrate every committed pending row, in batches (waiting for the lock); returns how many."""
    total = 0
    while True:
        done = integrate(limit=BATCH)
        total += done
        if done < BATCH:
            return total


def try_integrate_all() -> int | None:
    """integrate_all unless another integration holds the lock: then None at once."""
    total = 0
    while True:
        done = integrate(limit=BATCH, wait=False)
        if done is None:
            return None if total == 0 else total
        total += done
        if done < BATCH:
            return total


@overload
def integrate(*, limit: int = ..., wait: Literal[True] = ...) -> int: ...
@overload
def integrate(*, limit: int = ..., wait: bool) -> int | None: ...
def integrate(*, limit: int = BATCH, wait: bool = True) -> int | None:
    """One batch: under the Head lock, the oldest `limit` committed pending rows become entries with the
    next consecutive indices; nodes, head, anchors and the deletion of the pending rows in the same
    transaction. Returns how many entries were integrated (0: nothing was waiting); with wait=False,
    None if another transaction holds the lock (SELECT … FOR UPDATE SKIP LOCKED)."""
    with transaction.atomic():
        head = locked_head() if wait else _head_unless_locked()
        if head is None:
            return None
        rows = list(Pending.objects.order_by("id")[:limit])
        if not rows:
            return 0
        index = head.size
        frontier = merkle.unpack_frontier(bytes(head.frontier))
        entries: list[Entry] = []
        nodes: list[Node] = []
        for row in rows:
            data = index_prefix(index) + row.body.encode()[1:]
            leaf = merkle.leaf_hash(data)
            frontier, completed = merkle.append_leaf(index, frontier, leaf)
            entries.append(
                Entry(
                    index=index,
                    event_type=row.event_type,
                    unit=row.unit,
                    district=row.district,
                    subject=row.subject,
                    actor=row.actor,
                    recorded_at=row.recorded_at,
                    data=data,
                    leaf_hash=leaf,
                    pending=row.pk,
                )
            )
            nodes.extend(Node(key=merkle.pack_key(lv, i), hash=h) for lv, i, h in completed)
            index += 1
        Entry.objects.bulk_create(entries, batch_size=1000)
        if nodes:
            Node.objects.bulk_create(nodes, batch_size=1000)
        Head.objects.filter(pk=1).update(size=index, frontier=merkle.pack_frontier(frontier))
        ids = [row.pk for row in rows]
        for start in range(0, len(ids), 1000):
            Pending.objects.filter(id__in=ids[start : start + 1000]).delete()
        mapping = {e.pending: e.index for e in entries if e.pending is not None}
        for resolver in list(_resolvers.values()):
            resolver(mapping)
        integrated = [(e.index, e.event_type) for e in entries]
        transaction.on_commit(lambda: _after_integration(integrated))
    return len(rows)


def _head_unless_locked() -> Head | None:
    head = Head.objects.select_for_update(skip_locked=True).filter(pk=1).first()
    if head is None and not Head.objects.filter(pk=1).exists():
        return locked_head()  # the very first integration: create the head
    return head


def _after_integration(integrated: list[tuple[int, str]]) -> None:
    from .. import dispatch

    for index, code in integrated:
        dispatch.after_integration(index, code)
    checkpoint_when_due_quietly()


def pending_count() -> int:
    return Pending.objects.count()


def anchor_resolver(
    model: Any, *, index_field: str = "ledger_index", pending_field: str = "ledger_pending"
) -> Resolver:
    """A resolver for a model that anchors rows to entries: rows whose `pending_field` names a pending id
    just integrated get its index in `index_field` — one UPDATE … FROM a VALUES list per 500 entries, in
    the integration transaction (an ORM CASE with a branch per entry costs seconds to compile for a
    large batch)."""

    def resolve(mapping: Mapping[int, int]) -> None:
        from django.db import connection

        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        index_col = qn(model._meta.get_field(index_field).column)
        pending_col = qn(model._meta.get_field(pending_field).column)
        items = list(mapping.items())
        with connection.cursor() as cursor:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                values = ", ".join(["(%s, %s)"] * len(chunk))
                # identifiers from the model's meta; every value a parameter
                sql = f"WITH v(pid, idx) AS (VALUES {values}) UPDATE {table} SET {index_col} = v.idx "  # noqa: S608
                sql += f"FROM v WHERE {table}.{pending_col} = v.pid"
                cursor.execute(
                    sql,
                    [x for pair in chunk for x in pair],
                )

    return resolve
