"""Signed checkpoints (R-LED-2): issued when due or asked for, checked against the previous one and
against what was witnessed outside the database, then pushed to the witnesses.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import transaction

from zhiheng.core import clock

from .. import merkle, selectors, signing, verification, witness
from ..errors import LogInconsistent
from ..models import Checkpoint, Entry
from .head import locked_head

log = logging.getLogger(__name__)


def schedule_checkpoint_after_commit() -> None:
    """Once per transaction that records: after its commit, issue a checkpoint if one is due (count or
    time, see checkpoint_if_due). In every mode — embedded or with Celery — the check is two indexed reads."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        checkpoint_when_due_quietly()
        return
    if any(callback is checkpoint_when_due_quietly for _, callback, _ in conn.run_on_commit):
        return
    transaction.on_commit(checkpoint_when_due_quietly)


def issue_checkpoint_after_commit(reason: str) -> None:
    """R-LED-2 at a natural moment (a meeting sealed, a plan filed): sign the tree once the caller's
    transaction has committed. The caller's act is committed whatever happens here; a failure is logged and
    the periodic checkpoint covers it."""

    def issue() -> None:
        try:
            issue_checkpoint(reason=reason)
        except Exception:
            log.exception("ledger: the checkpoint after %s failed; the periodic job will cover it", reason)

    transaction.on_commit(issue)


def checkpoint_when_due_quietly() -> None:
    """The after-commit hook: the append is committed whatever happens here; failures are logged and the
    periodic job (tasks.checkpoint_if_due) tries again."""
    try:
        checkpoint_if_due()
    except Exception:
        log.exception("ledger: the checkpoint due after an append failed; the periodic job will retry")


def checkpoint_if_due(*, heartbeat: bool = False) -> Checkpoint | None:
    """Issue a checkpoint when LEDGER_CHECKPOINT_EVERY entries or more are not covered by the latest one,
    or when the oldest entry it does not cover has waited LEDGER_CHECKPOINT_MINUTES. With
    `heartbeat` (the periodic job) a checkpoint older than an hour is renewed even if nothing was
    appended (R-LED-2: at least hourly). Returns the checkpoint issued, if any."""
    size = selectors.tree_size()
    latest = Checkpoint.objects.order_by("-id").values_list("size", "timestamp").first()
    every = int(getattr(settings, "LEDGER_CHECKPOINT_EVERY", 256) or 0)
    minutes = float(getattr(settings, "LEDGER_CHECKPOINT_MINUTES", 10) or 0)
    signed, when = latest if latest else (0, None)
    uncovered = size - signed
    now = clock.now()
    waiting = None  # how long the oldest entry not covered by a checkpoint has waited
    if uncovered > 0 and minutes:
        oldest = Entry.objects.filter(index=signed).values_list("recorded_at", flat=True).first()
        waiting = now - oldest if oldest else None
    due = (
        (every and uncovered >= every)
        or (waiting is not None and waiting >= dt.timedelta(minutes=minutes))
        or (heartbeat and size > 0 and (when is None or now - when >= dt.timedelta(hours=1)))
    )
    if not due:
        return None
    reason = "count" if every and uncovered >= every else "time" if uncovered > 0 else "hourly"
    return issue_checkpoint(reason=reason)


def issue_checkpoint(*, reason: str = "") -> Checkpoint:
    """Sign the current tree (R-LED-2): size, root, time. Call it inside your transaction at natural
    moments (a meeting's close, a plan filing) or let the hourly task do it.

    The new checkpoint is checked against the previous one before it is stored: the previous root is
    recomputed from the stored subtree hashes, and a consistency proof from it to the new root must
    verify. A failure raises Conflict("R-LED-4") and stores nothing.

    With batched sequencing the pending entries are integrated first, so a checkpoint at a natural moment
    covers what was recorded before it (called after the recording commit, as the meetings and plans do).
    """
    from . import sequencing

    if sequencing.batched():
        sequencing.integrate_all()
    with transaction.atomic():
        head = locked_head()
        size = head.size
        root = merkle.fold(merkle.unpack_frontier(bytes(head.frontier)))
        previous = Checkpoint.objects.order_by("-id").first()
        if previous is not None:
            _ensure_consistent(previous, size, root)
        _ensure_extends_witnessed(size, root)
        moment = clock.now().replace(microsecond=0)
        message = signing.checkpoint_message(size, root, moment)
        checkpoint = Checkpoint.objects.create(
            size=size,
            root=root,
            timestamp=moment,
            signature=signing.sign(message),
            key_id=signing.key_id(),
            reason=reason[:64],
        )
        public = {
            "size": size,
            "root": root.hex(),
            "timestamp": signing.format_timestamp(moment),
            "signature": bytes(checkpoint.signature).hex(),
            "key_id": checkpoint.key_id,
        }
        transaction.on_commit(lambda: witness_checkpoint(public))
        return checkpoint


def _ensure_extends_witnessed(size: int, root: bytes) -> None:
    """Never sign a tree that does not extend the last checkpoint witnessed outside the database: a log
    rewritten behind the database's back must not be blessed with a fresh signature."""
    try:
        last = witness.last_own()
    except OSError:
        log.exception("ledger: the witness log cannot be read")
        return
    if last is None:
        return
    detail = {"witnessed_size": last.size, "size": size}
    if last.size > size:
        raise LogInconsistent("账本比见证日志中的检查点短：可能被截断", detail)
    try:
        stored_root = selectors.root_at(last.size)
    except LookupError:
        stored_root = b""
    if stored_root != last.root:
        raise LogInconsistent("账本与见证日志中的检查点不一致：可能被改写", detail)


def witness_checkpoint(public: dict[str, Any]) -> None:
    """After a checkpoint's commit: append it to the witness log, then push it to the witnesses (in the
    background: a queued task with a broker, a thread in embedded mode). Failures are logged; the
    periodic job writes and pushes again."""
    try:
        witness.append(public, origin_name=witness.origin(), leaves_for=selectors.leaf_hashes)
    except Exception:
        log.exception("ledger: checkpoint of size %s not written to the witness log", public["size"])
    if witness.witnesses():
        from .. import tasks

        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
            threading.Thread(target=push_witnesses_closing, daemon=True, name="ledger-witness-push").start()
        else:
            tasks.push_witnesses.delay()


def push_witnesses(post: witness.Post | None = None) -> list[tuple[bool, str]]:
    """Push the latest witnessed checkpoint to every configured witness (they ask for a consistency
    proof from what they hold; it is computed from the stored subtree hashes)."""
    return witness.push_all(selectors.consistency_proof, post or witness.http_post)


def push_witnesses_closing() -> None:
    from django.db import connections

    try:
        push_witnesses()
    except Exception:
        log.exception("ledger: witness push failed; the periodic job will retry")
    finally:
        connections.close_all()


def rewitness_latest() -> bool:
    """The periodic job's repair: the latest stored checkpoint, if the witness log missed it."""
    latest = Checkpoint.objects.order_by("-id").first()
    if latest is None:
        return False
    public = {
        "size": latest.size,
        "root": bytes(latest.root).hex(),
        "timestamp": signing.format_timestamp(latest.timestamp),
        "signature": bytes(latest.signature).hex(),
        "key_id": latest.key_id,
    }
    return witness.append(public, origin_name=witness.origin(), leaves_for=selectors.leaf_hashes)


def _ensure_consistent(previous: Checkpoint, size: int, root: bytes) -> None:
    old_size, old_root = previous.size, bytes(previous.root)
    detail = {"checkpoint": previous.pk, "size": old_size, "new_size": size}
    if old_size > size:
        raise LogInconsistent("账本比上一个检查点短：可能被截断", detail)
    if selectors.root_at(old_size) != old_root:
        raise LogInconsistent("账本与上一个检查点的根哈希不一致", detail)
    proof = selectors.consistency_proof(old_size, size)
    if not merkle.verify_consistency(old_size, size, old_root, root, proof):
        raise LogInconsistent("新检查点与上一个检查点不一致", detail)


def signature_checker() -> Callable[[verification.Signed], bool]:
    """A check of checkpoint signatures against the keyring (current + retired district keys, read
    once): each checkpoint is verified with the key its key_id names; an unknown key id fails."""
    ring = signing.keyring()

    def check(cp: verification.Signed) -> bool:
        for public in ring.get(cp.key_id, ()):
            try:
                public.verify(cp.signature, cp.message)
            except InvalidSignature:
                continue
            return True
        return False

    return check


def signature_ok(cp: verification.CheckpointRow) -> bool:
    """Does one checkpoint verify under the district key its key_id names (current or retired)?"""
    return signature_checker()(cp)
