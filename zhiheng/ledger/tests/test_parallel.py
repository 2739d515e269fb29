"""Full verification in several processes (R-LED-4) gives the same verdict, kind and place as in one.

The chunks are made tiny (8 leaves) so that a 200-entry log spans 25 chunks, the upper levels are
computed from chunk tops, and a pool of forked workers really runs.
"""

from __future__ import annotations

import hashlib
import random

import pytest
from django.db import transaction

from zhiheng.ledger import merkle, selectors, services, treecheck, verification

from .test_tamper import KINDS, Undo, log, rows  # noqa: F401  (log is the module fixture)

TRIALS_PER_KIND = 12


def outcome(report: verification.Report) -> tuple:
    return report.ok, report.kind, report.position, report.message


def verify(loaded, *, workers: int, chunk_level: int) -> verification.Report:
    return verification.verify_log(
        **loaded, signature_ok=services.signature_ok, workers=workers, chunk_level=chunk_level
    )


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", KINDS, ids=[k.__name__ for k in KINDS])
def test_parallel_and_sequential_verification_agree_on_tampered_logs(log, tamper):  # noqa: F811
    rng = random.Random(f"parallel-{tamper.__name__}")
    original = rows()
    for _ in range(TRIALS_PER_KIND):
        try:
            with transaction.atomic():
                kind, where = tamper(rng, original)
                loaded = selectors.load_everything()
                sequential = verify(loaded, workers=1, chunk_level=treecheck.CHUNK_LEVEL)
                small_chunks = verify(loaded, workers=1, chunk_level=3)
                parallel = verify(loaded, workers=2, chunk_level=3)
                # a gap in the index column is found before any hashing; otherwise the pool ran
                hashed = loaded["indices"] == list(range(len(loaded["indices"])))
                assert parallel.extra["workers"] == (2 if hashed else 1)
                assert not sequential.ok and sequential.kind == kind and sequential.position in where
                assert outcome(small_chunks) == outcome(sequential)
                assert outcome(parallel) == outcome(sequential)
                raise Undo
        except Undo:
            pass


@pytest.mark.django_db
def test_an_intact_log_verifies_in_parallel(log):  # noqa: F811
    report = verify(selectors.load_everything(), workers=2, chunk_level=3)
    assert report.ok and report.extra["workers"] == 2 and report.entries == 200 and report.checkpoints == 3


# --- pure, without a database: tampering above the chunk level, and odd sizes -----------------------


def build(n: int) -> dict:
    datas = [b'{"index":%d,"payload":{}}' % i for i in range(n)]
    leaves = [merkle.leaf_hash(d) for d in datas]
    stored = sorted(
        (merkle.pack_key(level, i), h) for level, row in merkle.levels(leaves) for i, h in enumerate(row)
    )
    return {
        "indices": list(range(n)),
        "datas": datas,
        "leaves": leaves,
        "node_keys": [k for k, _ in stored],
        "node_hashes": [h for _, h in stored],
        "head_size": n,
    }


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 64, 100, 257])
def test_every_size_verifies_with_any_chunk_size(n):
    loaded = build(n)
    for chunk_level in (0, 1, 3, 16):
        assert verification.verify_log(**loaded, chunk_level=chunk_level).ok
    assert verification.verify_log(**loaded, chunk_level=2, workers=2).ok


def test_a_subtree_hash_above_the_chunks_is_located_in_parallel():
    loaded = build(300)
    keys = loaded["node_keys"]
    # rewrite the stored hash of subtree (6, 2): leaves 128..191, above 8-leaf chunks
    pos = keys.index(merkle.pack_key(6, 2))
    loaded["node_hashes"][pos] = hashlib.sha256(b"forged").digest()
    reports = [
        verification.verify_log(**loaded, chunk_level=level, workers=workers)
        for level, workers in ((16, 1), (3, 1), (3, 2), (2, 3))
    ]
    assert {outcome(r) for r in reports} == {outcome(reports[0])}
    assert reports[0].kind == "edited" and reports[0].position == 128


def test_a_missing_subtree_hash_is_reported_alike_in_parallel():
    loaded = build(300)
    pos = loaded["node_keys"].index(merkle.pack_key(2, 5))
    del loaded["node_keys"][pos], loaded["node_hashes"][pos]
    seq = verification.verify_log(**loaded)
    par = verification.verify_log(**loaded, chunk_level=3, workers=2)
    assert outcome(par) == outcome(seq) and seq.kind == "node-store" and seq.position == 20


def test_only_large_logs_fork(settings):
    assert treecheck.default_workers(1000) == 1
    assert treecheck.default_workers(treecheck.PARALLEL_FROM) >= 1
    settings.LEDGER_VERIFY_WORKERS = 3
    assert services.verify_workers(10) == 3
    assert services.verify_workers(10, 1) == 1


def test_a_failing_child_leaves_its_chunks_to_the_parent(monkeypatch):
    loaded = build(300)
    pos = loaded["node_keys"].index(merkle.pack_key(3, 30))  # leaves 240..247, late in the log
    loaded["node_hashes"][pos] = hashlib.sha256(b"forged").digest()
    expected = verification.verify_log(**loaded)

    class Broken:
        """The children pickle their results with this: they fail, exit 1 and send nothing."""

        loads = staticmethod(treecheck.pickle.loads)
        UnpicklingError = treecheck.pickle.UnpicklingError

        @staticmethod
        def dumps(obj):
            raise RuntimeError("child failed")

    monkeypatch.setattr(treecheck, "pickle", Broken)
    report = verification.verify_log(**loaded, chunk_level=2, workers=2)
    assert outcome(report) == outcome(expected) and expected.kind == "edited" and expected.position == 240
