"""Writes to the ledger: append (the only way in), issue_checkpoint, run_verification.

Appends serialize on one Head row locked with SELECT ... FOR UPDATE: it holds the next index and the
frontier (the perfect-subtree hashes tiling the tree), so an append reads nothing but the head, writes
the entry, the subtree hashes it completes (one on average) and the head. Two transactions can never
take the same index (the second waits for the first's commit and then reads the advanced head), an
index is never skipped, and a rolled-back transaction rolls the head back with it, consuming nothing.
The cost: a transaction that records holds the ledger lock until it commits — keep them short.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import connection, transaction

from zhiheng.core import clock
from zhiheng.core.errors import Conflict

from . import events, guard, integrity, merkle, selectors, signing, treecheck
from .canonical import canonical_bytes, entry_body
from .models import Checkpoint, Entry, Head, Node, VerificationRun

log = logging.getLogger(__name__)


def leaf_hash(data: bytes) -> bytes:
    return merkle.leaf_hash(data)


def _locked_head() -> Head:
    head = Head.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # First append ever (or after a test flush): create it; a concurrent creator makes this a no-op.
        Head.objects.bulk_create([Head(pk=1, size=0, frontier=b"")], ignore_conflicts=True)
        head = Head.objects.select_for_update().get(pk=1)
    return head


def scoped_payload(*, unit: str, district: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with a district-level entry's scope in it, so the scope is part of the hashed bytes.

    An entry has one scope: a unit, or a district (no unit), or neither (platform-level). A district
    given with a unit, or contradicting the payload's own "district", is a programming error.
    """
    if not district:
        return payload
    if unit:
        raise ValueError("a ledger entry is scoped to a unit or to a district, not both")
    if payload.get("district", district) != district:
        raise ValueError(f"payload district {payload['district']!r} contradicts the entry's {district!r}")
    return {**payload, "district": district}


def append(
    *, event_type: str, by: Any, unit: str, subject: str, payload: dict[str, Any], district: str = ""
) -> Entry:
    """Append inside the caller's transaction; the index is the next one, with no gap and no fork."""
    events.get(event_type)  # refuses unregistered codes
    payload = scoped_payload(unit=unit, district=district, payload=payload)
    actor = getattr(by, "username", "") or ""
    moment = clock.now()
    with transaction.atomic():
        head = _locked_head()
        index = head.size
        data = canonical_bytes(
            entry_body(
                index=index,
                event_type=event_type,
                who=actor,
                unit=unit,
                subject=subject,
                time=moment.astimezone(clock.SHANGHAI).isoformat(timespec="microseconds"),
                payload=payload,
            )
        )
        leaf = merkle.leaf_hash(data)
        frontier, completed = merkle.append_leaf(index, merkle.unpack_frontier(bytes(head.frontier)), leaf)
        entry = Entry.objects.create(
            index=index,
            event_type=event_type,
            unit=unit,
            district=district,
            subject=subject,
            actor=actor,
            recorded_at=moment,
            data=data,
            leaf_hash=leaf,
        )
        if completed:
            Node.objects.bulk_create([Node(key=merkle.pack_key(lv, i), hash=h) for lv, i, h in completed])
        Head.objects.filter(pk=1).update(size=index + 1, frontier=merkle.pack_frontier(frontier))
        return entry


def issue_checkpoint(*, reason: str = "") -> Checkpoint:
    """Sign the current tree (R-LED-2): size, root, time. Call it inside your transaction at natural
    moments (a meeting's close, a plan filing) or let the hourly task do it.

    The new checkpoint is checked against the previous one before it is stored: the previous root is
    recomputed from the stored subtree hashes, and a consistency proof from it to the new root must
    verify. A failure raises Conflict("R-LED-4") and stores nothing.
    """
    with transaction.atomic():
        head = _locked_head()
        size = head.size
        root = merkle.fold(merkle.unpack_frontier(bytes(head.frontier)))
        previous = Checkpoint.objects.order_by("-id").first()
        if previous is not None:
            _ensure_consistent(previous, size, root)
        moment = clock.now().replace(microsecond=0)
        message = signing.checkpoint_message(size, root, moment)
        return Checkpoint.objects.create(
            size=size,
            root=root,
            timestamp=moment,
            signature=signing.sign(message),
            key_id=signing.key_id(),
            reason=reason[:64],
        )


def _ensure_consistent(previous: Checkpoint, size: int, root: bytes) -> None:
    old_size, old_root = previous.size, bytes(previous.root)
    detail = {"checkpoint": previous.pk, "size": old_size, "new_size": size}
    if old_size > size:
        raise Conflict("R-LED-4", "账本比上一个检查点短：可能被截断", detail)
    if selectors.root_at(old_size) != old_root:
        raise Conflict("R-LED-4", "账本与上一个检查点的根哈希不一致", detail)
    proof = selectors.consistency_proof(old_size, size)
    if not merkle.verify_consistency(old_size, size, old_root, root, proof):
        raise Conflict("R-LED-4", "新检查点与上一个检查点不一致", detail)


def signature_checker() -> Callable[[integrity.CheckpointRow], bool]:
    """A check of checkpoint signatures against the keyring (current + retired district keys, read
    once): each checkpoint is verified with the key its key_id names; an unknown key id fails."""
    ring = signing.keyring()

    def check(cp: integrity.CheckpointRow) -> bool:
        for public in ring.get(cp.key_id, ()):
            try:
                public.verify(cp.signature, cp.message)
            except InvalidSignature:
                continue
            return True
        return False

    return check


def signature_ok(cp: integrity.CheckpointRow) -> bool:
    """Does one checkpoint verify under the district key its key_id names (current or retired)?"""
    return signature_checker()(cp)


def verify_workers(n: int, workers: int | None = None) -> int:
    """How many processes hash a log of n entries: `workers` if given, else settings.LEDGER_VERIFY_WORKERS
    if set, else one per core for large logs (treecheck.default_workers)."""
    if workers is None:
        workers = getattr(settings, "LEDGER_VERIFY_WORKERS", None)
    return max(1, int(workers)) if workers else treecheck.default_workers(n)


def verify_all(*, workers: int | None = None) -> integrity.Report:
    """Recompute everything from the stored entries (R-LED-4); see integrity.verify_log."""
    loaded = selectors.load_everything()
    n = len(loaded["datas"])
    return integrity.verify_log(
        **loaded, signature_ok=signature_checker(), workers=verify_workers(n, workers)
    )


def run_verification(*, by: Any = None, workers: int | None = None) -> VerificationRun:
    """Run a full verification and store its result, so the ledger page can show when it last ran."""
    started = clock.now()
    report = verify_all(workers=workers)
    if report.ok and not guard.installed(connection.alias):
        report = integrity.Report(
            False, report.entries, report.checkpoints, "guard", None, "账本防篡改触发器缺失或被停用"
        )
    run = VerificationRun.objects.create(
        started_at=started,
        finished_at=clock.now(),
        ok=report.ok,
        entries=report.entries,
        checkpoints=report.checkpoints,
        kind=report.kind,
        position=report.position,
        message=str(report),
        by=getattr(by, "username", "") or "",
    )
    if not report.ok:
        log.error("ledger verification failed: %s", report)
    return run
