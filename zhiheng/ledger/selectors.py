"""Reads: entries, checkpoints, roots and proofs from the stored subtree hashes — O(log n) rows each.

Domain-free: who may see which entry is decided by rules.py (the interfaces' concern); these take
plain filters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from zhiheng.core.errors import Invalid, NotFound

from . import merkle, signing, verification
from .models import Checkpoint, Entry, Head, Node, Pending


def tree_size() -> int:
    return Head.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def version() -> tuple[int, str, int]:
    """A value that changes whenever an entry is recorded (inline: the tree grows; batched: a pending row
    appears, then the tree grows as it is integrated), and differs between two ledgers of the same size (the
    frontier's digest: a database restored from a backup and written again is another version). Every write
    of the domain records an entry in its own transaction, so a figure computed from committed rows is
    current as long as this is unchanged: the key of caches of such figures (analytics)."""
    head = Head.objects.filter(pk=1).values_list("size", "frontier").first() or (0, b"")
    pending = Pending.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return head[0], hashlib.sha256(bytes(head[1])).hexdigest()[:16], pending


def pending_count() -> int:
    """Entries recorded and committed but not yet integrated into the tree (batched sequencing, 待入账)."""
    return Pending.objects.count()


def get_pending(pending: int) -> Pending | None:
    return Pending.objects.filter(pk=pending).first()


def integrated_index(pending: int) -> int | None:
    """The index the entry recorded as `pending` received, once integrated (None: not, or never was)."""
    return Entry.objects.filter(pending=pending).values_list("index", flat=True).first()


def list_pending(*, units: Iterable[str], districts: Iterable[str], platform: bool) -> QuerySet[Pending]:
    """The pending entries in a reader's scope (the same scopes as list_entries), oldest first."""
    scope = Q(unit__in=list(units)) | Q(unit="", district__in=list(districts))
    if platform:
        scope |= Q(unit="", district="")
    return Pending.objects.filter(scope).order_by("id")


def hashes(keys: Iterable[merkle.Key]) -> dict[merkle.Key, bytes]:
    """The stored hashes of the given perfect subtrees: two indexed queries, whatever the log's size."""
    keys = set(keys)
    leaves = [i for level, i in keys if level == 0]
    packed = {merkle.pack_key(level, i): (level, i) for level, i in keys if level > 0}
    found: dict[merkle.Key, bytes] = {}
    if leaves:
        for index, h in Entry.objects.filter(index__in=leaves).values_list("index", "leaf_hash"):
            found[(0, index)] = bytes(h)
    if packed:
        for key, h in Node.objects.filter(key__in=list(packed)).values_list("key", "hash"):
            found[packed[key]] = bytes(h)
    if len(found) != len(keys):
        missing = sorted(keys - set(found))[:3]
        raise LookupError(f"stored subtree hashes missing: {missing}")
    return found


def root_at(size: int) -> bytes:
    return merkle.root(size, hashes(merkle.perfect_subtrees(0, size)))


def _ints(**values: Any) -> dict[str, int]:
    out = {}
    for name, value in values.items():
        try:
            out[name] = int(value)
        except (TypeError, ValueError):
            raise Invalid("validation", f"{name} 必须是整数", {"fields": {name: ["必须是整数"]}}) from None
    return out


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """R-LED-3: the audit path of entry `index` in the tree of the first `size` entries."""
    current = tree_size()
    if not 0 <= index < size:
        raise Invalid("R-LED-3", "序号必须小于树的大小", {"index": index, "size": size})
    if size > current:
        raise Invalid("R-LED-3", "树的大小超过账本当前条目数", {"size": size, "tree_size": current})
    ranges = merkle.inclusion_ranges(index, size)
    return merkle.inclusion_proof(index, size, hashes(merkle.keys_for(ranges)))


def consistency_proof(first: int, second: int) -> list[bytes]:
    """R-LED-3: proof that the tree of `second` entries extends the tree of `first` entries."""
    current = tree_size()
    if not 0 <= first <= second:
        raise Invalid("R-LED-3", "first 必须不大于 second", {"first": first, "second": second})
    if second > current:
        raise Invalid("R-LED-3", "树的大小超过账本当前条目数", {"second": second, "tree_size": current})
    ranges = merkle.consistency_ranges(first, second)
    return merkle.consistency_proof(first, second, hashes(merkle.keys_for(ranges)))


def leaf_hashes(first: int, end: int) -> list[bytes]:
    """The stored leaf hashes of entries [first, end), in index order (for the witness log)."""
    rows = (
        Entry.objects.filter(index__gte=first, index__lt=end)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
    )
    return [bytes(h) for h in rows]


def get_entry(index: int) -> Entry:
    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        raise NotFound()
    return entry


def entry_scope(index: int) -> Entry | None:
    """The entry's unit and district only (what rules.Scope.allows reads), without its data."""
    return Entry.objects.filter(index=index).only("index", "unit", "district").first()


def list_entries(
    *,
    units: Iterable[str] | None = None,
    districts: Iterable[str] = (),
    platform: bool = False,
    unit: str = "",
    subject: str = "",
    event_type: str = "",
) -> QuerySet[Entry]:
    """Entries, newest first. With `units` given the list is limited to a scope: the entries of those
    units, the district-level entries of `districts` and, if `platform`, the platform-level entries
    (no unit, no district). None: no limit. Entries without a unit and with no recorded district
    (appended before scopes were recorded) are in no scope."""
    qs = Entry.objects.defer("data").order_by("-index")
    if units is not None:
        scope = Q(unit__in=[u for u in units if u]) | Q(unit="", district__in=list(districts))
        if platform:
            scope |= Q(unit="", district="")
        qs = qs.filter(scope)
    if unit:
        qs = qs.filter(unit=unit)
    if subject:
        qs = qs.filter(subject=subject)
    if event_type:
        qs = qs.filter(event_type=event_type)
    return qs


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


def list_checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-id")


def checkpoint_row(cp: Checkpoint) -> verification.CheckpointRow:
    root = bytes(cp.root)
    return verification.CheckpointRow(
        id=cp.pk,
        size=cp.size,
        root=root,
        message=signing.checkpoint_message(cp.size, root, cp.timestamp),
        signature=bytes(cp.signature),
        key_id=cp.key_id,
    )


def load_everything() -> dict[str, Any]:
    """Every row verification needs, loaded with raw cursors (no model instance per row)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q('index')}, data, leaf_hash FROM ledger_entry ORDER BY {q('index')}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute("SELECT key, hash FROM ledger_node ORDER BY key")
        nodes = cursor.fetchall()
    indices = [r[0] for r in rows]
    datas = [r[1] for r in rows]
    leaves = [r[2] for r in rows]
    if datas and not isinstance(datas[0], bytes):
        datas, leaves = [bytes(d) for d in datas], [bytes(h) for h in leaves]
    node_keys = [k for k, _ in nodes]
    node_hashes = [h if isinstance(h, bytes) else bytes(h) for _, h in nodes]
    del nodes
    head = Head.objects.filter(pk=1).first()
    return {
        "indices": indices,
        "datas": datas,
        "leaves": leaves,
        "node_keys": node_keys,
        "node_hashes": node_hashes,
        "head_size": head.size if head else None,
        "head_frontier": bytes(head.frontier) if head else b"",
        "checkpoints": [checkpoint_row(cp) for cp in Checkpoint.objects.order_by("id")],
    }


def payloads_about(subject: str, event_type: str) -> list[dict[str, Any]]:
    """The payloads of the entries of one type about one subject, in log order (derived checks)."""
    rows = Entry.objects.filter(subject=subject, event_type=event_type).order_by("index")
    return [json.loads(bytes(row.data))["payload"] for row in rows]
