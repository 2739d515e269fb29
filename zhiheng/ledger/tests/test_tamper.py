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

from zhiheng import ledger
from zhiheng.ledger import canonical, merkle, services

from .conftest import raw

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
def test_every_tampering_is_detected_and_located(log, tamper):
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
    assert not misses, f"{len(misses)}/{TRIALS} missed, e.g. {misses[:3]}"
