"""Mutation trials (R-LED-4): history rewritten by raw SQL, past the append-only guard, is detected
and located — every kind, every trial.

Each trial runs inside a savepoint: tamper → verify → roll back, so one log serves all trials.
LEDGER_TRIALS sets the number of trials per kind (default 1000).
"""

from __future__ import annotations

import os
import random

import pytest
from django.db import connection, transaction
from django.test import override_settings

from zhiheng import ledger
from zhiheng.ledger import canonical, merkle, selectors, services

from .conftest import raw, run_on_commit_callbacks

TRIALS = int(os.environ.get("LEDGER_TRIALS", "1000"))
N = 200
Q = connection.ops.quote_name("index")


class Undo(Exception):
    pass


@pytest.fixture(scope="module")
def log(django_db_setup, django_db_blocker):
    """One log of N entries and three checkpoints, built once for the module and removed after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        for i in range(N):
            ledger.record("ledger.note", unit=f"u{i % 3}", subject=f"matter:{i}", payload={"i": i, "n": "值"})
            if i + 1 in (50, 123, N):
                services.issue_checkpoint(reason="test")
        assert services.verify_all().ok
        try:
            yield
        finally:
            transaction.set_rollback(True)


def rows() -> dict[int, tuple[bytes, bytes]]:
    with connection.cursor() as c:
        c.execute(f"SELECT {Q}, data, leaf_hash FROM ledger_entry")  # noqa: S608
        return {i: (bytes(d), bytes(h)) for i, d, h in c.fetchall()}


def shift(from_index: int, by: int) -> None:
    """Renumber entries >= from_index by `by` (two steps, so no unique clash mid-statement)."""
    raw(f"UPDATE ledger_entry SET {Q} = -{Q} - 1 WHERE {Q} >= ?", [from_index])  # noqa: S608
    raw(f"UPDATE ledger_entry SET {Q} = -{Q} - 1 + ? WHERE {Q} < 0", [by])  # noqa: S608


def fake_entry(index: int, rng: random.Random) -> bytes:
    body = canonical.entry_body(
        index=index,
        event_type="ledger.note",
        who="forger",
        unit="u0",
        subject="matter:x",
        time="2026-01-01T00:00:00.000000+08:00",
        payload={"i": rng.randrange(10**6)},
    )
    return canonical.canonical_bytes(body)


def insert(index: int, data: bytes) -> None:
    raw(
        f"INSERT INTO ledger_entry ({Q}, event_type, unit, subject, actor, recorded_at, data, leaf_hash) "  # noqa: S608
        "VALUES (?, 'ledger.note', 'u0', 'matter:x', 'forger', ?, ?, ?)",
        [index, "2026-01-01 00:00:00", data, merkle.leaf_hash(data)],
    )


def edited(rng, original):
    k = rng.randrange(N)
    data, _ = original[k]
    tampered = data.replace(b'"n":"', b'"n":"x', 1)
    consistent = rng.random() < 0.3  # the forger also rewrites the stored leaf hash
    if consistent:
        raw(
            f"UPDATE ledger_entry SET data = ?, leaf_hash = ? WHERE {Q} = ?",  # noqa: S608
            [tampered, merkle.leaf_hash(tampered), k],
        )
        return "edited", {k & ~1, k}  # the stored subtree hash over the pair locates it
    raw(f"UPDATE ledger_entry SET data = ? WHERE {Q} = ?", [tampered, k])  # noqa: S608
    return "edited", {k}


def deleted(rng, original):
    k = rng.randrange(N - 1)  # deleting the last entry is truncation
    raw(f"DELETE FROM ledger_entry WHERE {Q} = ?", [k])  # noqa: S608
    if rng.random() < 0.5:
        shift(k + 1, -1)  # and renumber the rest to hide the gap
    return "deleted", {k}


def reordered(rng, original):
    i, j = sorted(rng.sample(range(N), 2))
    for a, b in ((i, j), (j, i)):
        raw(f"UPDATE ledger_entry SET data = ?, leaf_hash = ? WHERE {Q} = ?", [*original[b], a])  # noqa: S608
    return "reordered", {i}


def inserted(rng, original):
    k = rng.randrange(N + 1)
    if k < N:
        shift(k, +1)
    insert(k, fake_entry(k, rng))
    return "inserted", {k}


def truncated(rng, original):
    k = rng.randrange(N)
    raw(f"DELETE FROM ledger_entry WHERE {Q} >= ?", [k])  # noqa: S608
    return "truncated", {k}


def forged_checkpoint(rng, original):
    with connection.cursor() as c:
        c.execute("SELECT id, size FROM ledger_checkpoint")
        cps = c.fetchall()
    cp_id, size = rng.choice(cps)
    how = rng.choice(["root", "size", "signature", "timestamp", "new"])
    if how == "root":
        raw("UPDATE ledger_checkpoint SET root = ? WHERE id = ?", [rng.randbytes(32), cp_id])
    elif how == "size":
        raw(
            "UPDATE ledger_checkpoint SET size = ? WHERE id = ?", [rng.choice([size - 1, size + 1, 0]), cp_id]
        )
    elif how == "signature":
        raw("UPDATE ledger_checkpoint SET signature = ? WHERE id = ?", [rng.randbytes(64), cp_id])
    elif how == "timestamp":
        raw("UPDATE ledger_checkpoint SET timestamp = ? WHERE id = ?", ["2030-01-01 00:00:00", cp_id])
    else:
        raw(
            "INSERT INTO ledger_checkpoint (size, root, timestamp, signature, key_id, reason) "
            "VALUES (?, ?, ?, ?, ?, 'forged')",
            [rng.randrange(1, 2 * N), rng.randbytes(32), "2030-01-01 00:00:00", rng.randbytes(64), "k"],
        )
    return "forged-checkpoint", {None}


KINDS = [edited, deleted, reordered, inserted, truncated, forged_checkpoint]


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", KINDS, ids=[k.__name__ for k in KINDS])
def test_every_tampering_is_detected_and_located(log, tamper, record_property):
    rng = random.Random(f"ledger-{tamper.__name__}")
    original = rows()
    misses = []
    for trial in range(TRIALS):
        try:
            with transaction.atomic():
                kind, where = tamper(rng, original)
                report = services.verify_all()
                if report.ok or report.kind != kind or report.position not in where:
                    misses.append((trial, kind, where, str(report)))
                raise Undo
        except Undo:
            pass
    assert services.verify_all().ok
    record_property(
        "ledger_trials", f"{tamper.__name__}: {TRIALS - len(misses)}/{TRIALS} detected and located"
    )
    assert not misses, f"{len(misses)}/{TRIALS} missed, e.g. {misses[:3]}"


# --- Issue 10 finding 4: rewrites that also rehash everything, past the database's own checkpoints ----
#
# The forger has write access to the database: after the rewrite they recompute the leaf hashes, every
# stored subtree hash and the head, and delete the stored checkpoints that would betray them. The same
# log as above is built the way the product builds it — every record() in its own committed transaction,
# checkpoints at 50 and 123 as the old hourly job would have left them — so the checkpoints due by count
# (every 16 here) are issued after each commit and witnessed in a file the database cannot reach. On the
# code before issue 10 the same trials pass verification (no frequent checkpoints, no witness log):
# everything after entry 123 was unsigned, and deleting checkpoints hid everything else.

# The forger's rewrite is a few hundred single-row statements, each lifting the guard; on PostgreSQL
# that is DDL (ALTER TABLE … DISABLE TRIGGER) per statement, so PostgreSQL runs fewer trials of the same
# database-independent detection logic than SQLite does.
WITNESS_TRIALS = min(TRIALS, 200 if connection.vendor != "postgresql" else 10)
EVERY = 16
SIGNED = 123  # the old "last checkpoint": entries after it were covered by nothing


@pytest.fixture(scope="module")
def witnessed_log(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("witness") / "witness.log"
    overrides = override_settings(
        LEDGER_WITNESS_LOG=str(path), LEDGER_CHECKPOINT_EVERY=EVERY, LEDGER_CHECKPOINT_MINUTES=24 * 60
    )
    with overrides, django_db_blocker.unblock(), transaction.atomic():
        # Under xdist the module's other log may still be open (module fixtures end with the module):
        # build on top of it, and drop the callbacks its uncommitted checkpoints queued.
        base = selectors.tree_size()
        del connection.run_on_commit[:]
        for i in range(N):
            with transaction.atomic():
                ledger.record(
                    "ledger.note", unit=f"u{i % 3}", subject=f"matter:{i}", payload={"i": i, "n": "值"}
                )
                if i + 1 in (50, SIGNED):  # sizes base + 50, base + SIGNED
                    services.issue_checkpoint(reason="hourly")
            run_on_commit_callbacks()  # what the commit of that transaction runs
        try:
            yield path, base
        finally:
            transaction.set_rollback(True)


def witnessed_size(path) -> int:
    """The largest witnessed size (0 on code without a witness log)."""
    import json

    if not path.exists():
        return 0
    return max((json.loads(line)["size"] for line in path.read_text().splitlines()), default=0)


def rehash() -> None:
    """The forger's cover-up: leaf hashes, every stored subtree hash and the head recomputed from the data."""
    with connection.cursor() as c:
        c.execute(f"SELECT {Q}, data FROM ledger_entry ORDER BY {Q}")  # noqa: S608
        datas = [bytes(d) for _, d in c.fetchall()]
    leaves = [merkle.leaf_hash(d) for d in datas]
    for i, h in enumerate(leaves):
        raw(f"UPDATE ledger_entry SET leaf_hash = ? WHERE {Q} = ?", [h, i])  # noqa: S608
    raw("DELETE FROM ledger_node")
    stored = {(0, i): h for i, h in enumerate(leaves)}
    for level, row in merkle.levels(leaves):
        for i, h in enumerate(row):
            stored[(level, i)] = h
            raw("INSERT INTO ledger_node (key, hash) VALUES (?, ?)", [merkle.pack_key(level, i), h])
    frontier = [stored[k] for k in merkle.perfect_subtrees(0, len(leaves))]
    raw(
        "UPDATE ledger_head SET size = ?, frontier = ? WHERE id = 1",
        [len(leaves), merkle.pack_frontier(frontier)],
    )


def drop_checkpoints(above: int = -1) -> None:
    raw("DELETE FROM ledger_checkpoint WHERE size > ?", [above])


def rewrite(k: int, original) -> None:
    data, _ = original[k]
    raw(f"UPDATE ledger_entry SET data = ? WHERE {Q} = ?", [data.replace(b'"n":"', b'"n":"x', 1), k])  # noqa: S608


def a_checkpoints_deleted_then_edited(rng, original, top, base):
    k = rng.randrange(top)
    drop_checkpoints()
    rewrite(k, original)
    rehash()
    return {("edited", k)}


def b_edited_after_the_last_checkpoint(rng, original, top, base):
    k = rng.randrange(base + SIGNED, top)
    rewrite(k, original)
    rehash()
    drop_checkpoints(above=k)  # the checkpoints the product now issues would betray it too
    return {("edited", k)}


def c_truncated_after_the_last_checkpoint(rng, original, top, base):
    k = rng.randrange(base + SIGNED, top)
    raw(f"DELETE FROM ledger_entry WHERE {Q} >= ?", [k])  # noqa: S608
    drop_checkpoints(above=k)
    rehash()
    return {("truncated", k)}


def d_forged_entry_appended(rng, original, top, base):
    k = rng.randrange(base + SIGNED, top)
    if rng.random() < 0.5:
        raw(f"DELETE FROM ledger_entry WHERE {Q} >= ?", [k])  # noqa: S608  (the forged entry replaces the tail)
        expected = {("truncated", k + 1), ("edited", k)}
    else:
        shift(k, +1)  # ... or is slipped in, the genuine entries renumbered after it
        for i in range(k + 1, len(original) + 1):
            body = original[i - 1][0].replace(b'{"index":%d,' % (i - 1), b'{"index":%d,' % i, 1)
            raw(f"UPDATE ledger_entry SET data = ? WHERE {Q} = ?", [body, i])  # noqa: S608
        expected = {("edited", k)}
    insert(k, fake_entry(k, rng))
    drop_checkpoints(above=k)
    rehash()
    return expected


FORGERIES = [
    a_checkpoints_deleted_then_edited,
    b_edited_after_the_last_checkpoint,
    c_truncated_after_the_last_checkpoint,
    d_forged_entry_appended,
]


@pytest.mark.django_db
@pytest.mark.parametrize("forge", FORGERIES, ids=[f.__name__ for f in FORGERIES])
def test_rewrites_that_rehash_everything_fail_against_the_witnessed_checkpoints(
    witnessed_log, forge, record_property
):
    rng = random.Random(f"witness-{forge.__name__}")
    path, base = witnessed_log
    top = witnessed_size(path)
    with override_settings(LEDGER_WITNESS_LOG=str(path)):
        assert services.verify_all().ok
        assert top > base + SIGNED, "checkpoints due by count were issued and witnessed after each commit"
        original = rows()
        misses = []
        for trial in range(WITNESS_TRIALS):
            try:
                with transaction.atomic():
                    expected = forge(rng, original, top, base)
                    report = services.verify_all()
                    if report.ok or (report.kind, report.position) not in expected:
                        misses.append((trial, expected, str(report)))
                    raise Undo
            except Undo:
                pass
        assert services.verify_all().ok
    detected = WITNESS_TRIALS - len(misses)
    record_property("ledger_trials", f"{forge.__name__}: {detected}/{WITNESS_TRIALS} detected and located")
    assert not misses, f"{len(misses)}/{WITNESS_TRIALS} missed, e.g. {misses[:3]}"
