"""Writes to the ledger: append (the only way in), issue_checkpoint, run_verification.

Appends serialize on one Head row locked with SELECT ... FOR UPDATE: it holds the next index and the
frontier (the perfect-subtree hashes tiling the tree), so an append reads nothing but the head, writes
the entry, the subtree hashes it completes (one on average) and the head. Two transactions can never
take the same index (the second waits for the first's commit and then reads the advanced head), an
index is never skipped, and a rolled-back transaction rolls the head back with it, consuming nothing.
The cost: a transaction that records holds the ledger lock until it commits — keep them short.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import connection, transaction

from zhiheng.core import clock
from zhiheng.core.errors import Conflict

from . import events, guard, integrity, merkle, selectors, signing, treecheck, witness
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
    _checkpoint_when_due_after_commit()
    return entry


def _checkpoint_when_due_after_commit() -> None:
    """Once per transaction that records: after its commit, issue a checkpoint if one is due (count or
    time, see checkpoint_if_due). In every mode — embedded or with Celery — the check is two indexed reads."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        checkpoint_when_due_quietly()
        return
    if any(callback is checkpoint_when_due_quietly for _, callback, _ in conn.run_on_commit):
        return
    transaction.on_commit(checkpoint_when_due_quietly)


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
    """
    with transaction.atomic():
        head = _locked_head()
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
        raise Conflict("R-LED-4", "账本比见证日志中的检查点短：可能被截断", detail)
    try:
        stored_root = selectors.root_at(last.size)
    except LookupError:
        stored_root = b""
    if stored_root != last.root:
        raise Conflict("R-LED-4", "账本与见证日志中的检查点不一致：可能被改写", detail)


def witness_checkpoint(public: dict[str, Any]) -> None:
    """After a checkpoint's commit: append it to the witness log, then push it to the witnesses (in the
    background: a queued task with a broker, a thread in embedded mode). Failures are logged; the
    periodic job writes and pushes again."""
    try:
        witness.append(public, origin_name=witness.origin(), leaves_for=selectors.leaf_hashes)
    except Exception:
        log.exception("ledger: checkpoint of size %s not written to the witness log", public["size"])
    if witness.witnesses():
        from . import tasks

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


def witnessed_rows(extra_logs=()) -> tuple[list[integrity.WitnessRow], str, list[str]]:
    """This log's checkpoints from the witness log (and any other witness logs given, e.g. a copy fetched
    from the commission's server): the lines whose key id is one of this district's keys (current or
    retired); lines of other origins (checkpoints this server witnesses for others) are not ours.
    Returns (rows, what is broken in a file, warnings)."""
    ring = signing.keyring()
    rows: list[integrity.WitnessRow] = []
    broken, warnings = "", []
    paths = [witness.log_path(), *extra_logs]
    if paths[0] is None:
        warnings.append(
            "no witness log configured (LEDGER_WITNESS_LOG): the ledger is anchored only in its own database"
        )
    for path in paths:
        if path is None:
            continue
        found = witness.read(path)
        if found is None:
            continue
        if found.torn_tail:
            warnings.append(f"{found.path}: the last line is incomplete (a crash mid-write) and was ignored")
        if found.broken and not broken:
            broken = f"witness log broken: {found.broken}"
        for line in found.lines:
            if line.key_id in ring:
                rows.append(
                    integrity.WitnessRow(
                        line=line.number,
                        size=line.size,
                        root=line.root,
                        message=line.message,
                        signature=line.signature,
                        key_id=line.key_id,
                        first=line.first,
                        leaves=line.leaves,
                    )
                )
    return rows, broken, warnings


def verify_all(*, workers: int | None = None, witness_logs=()) -> integrity.Report:
    """Recompute everything from the stored entries (R-LED-4) and check it against the checkpoints
    witnessed outside the database; see integrity.verify_log. The report's warnings name the entries
    not yet covered by a witnessed checkpoint (the only ones a database rewrite could still hide)."""
    loaded = selectors.load_everything()
    n = len(loaded["datas"])
    rows, broken, warnings = witnessed_rows(witness_logs)
    report = integrity.verify_log(
        **loaded,
        signature_ok=signature_checker(),
        workers=verify_workers(n, workers),
        witnessed=rows,
        witness_broken=broken,
    )
    report.warnings.extend(warnings)
    report.extra["witnessed"] = len(rows)
    if witness.log_path() is not None or witness_logs:
        report.warnings.extend(_tail_warnings(n, rows, loaded["datas"]))
    return report


def _tail_warnings(n: int, rows: list[integrity.WitnessRow], datas) -> list[str]:
    """The gap since the last witnessed checkpoint: how many entries, since when — and tail entries dated
    before that checkpoint (genuine appends are dated after it; a forged, back-dated append is not)."""
    import json

    last = max(rows, key=lambda r: r.size, default=None)
    witnessed = last.size if last else 0
    if n <= witnessed:
        return []
    since = ""
    signed_at = None
    if last is not None:
        signed_at = dt.datetime.fromisoformat(last.message.decode().splitlines()[3])
        minutes = int((clock.now() - signed_at).total_seconds() // 60)
        since = f" (the last witnessed checkpoint, size {witnessed}, was signed {minutes} min ago at {signed_at.isoformat()})"
    out = [
        f"{n - witnessed} entries (#{witnessed}..#{n - 1}) are not yet covered by a witnessed checkpoint{since}"
    ]
    if signed_at is not None:
        skew = dt.timedelta(minutes=5)
        early = []
        for k in range(witnessed, n):
            try:
                when = dt.datetime.fromisoformat(json.loads(datas[k])["time"])
            except (ValueError, KeyError, TypeError):
                continue
            if when < signed_at - skew:
                early.append(k)
        if early:
            out.append(
                f"entries {', '.join(f'#{k}' for k in early[:5])}{' …' if len(early) > 5 else ''} are dated before "
                f"the last witnessed checkpoint yet not in it: appended later with an earlier date?"
            )
    return out


def run_verification(*, by: Any = None, workers: int | None = None, witness_logs=()) -> VerificationRun:
    """Run a full verification and store its result, so the ledger page can show when it last ran."""
    started = clock.now()
    report = verify_all(workers=workers, witness_logs=witness_logs)
    if report.ok and not guard.installed(connection.alias):
        report = integrity.Report(
            False,
            report.entries,
            report.checkpoints,
            "guard",
            None,
            "账本防篡改触发器缺失、被停用或被改写",
            warnings=report.warnings,
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
