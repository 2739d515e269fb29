"""Batched sequencing on PostgreSQL (issue 12, decision 0017): concurrent writers and kill -9.

- 16 writers (each its own connection) record concurrently, some rolling back: one linear log, every
  committed entry exactly once, no rolled-back one, nothing left pending, verification passes.
- kill -9: writer processes (each commits a domain row and its entry together, then integrates) and an
  integrator process run; each trial SIGKILLs one of them at a random moment and starts a replacement.
  At the end (after a sweep): the domain rows and the entries match one to one (nothing decided without
  its entry, no entry without its decision), nothing lost — every commit a writer acknowledged is in the
  tree — nothing twice, indices 0..n-1, `ledger verify` passes.

Default: 10 kill trials; ZHIHENG_FULL_TRIALS=1 (CI) runs 100.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from zhiheng import ledger
from zhiheng.core.tests.forking import database_url
from zhiheng.ledger import services
from zhiheng.ledger.models import Entry, Head, Pending
from zhiheng.ledger.services import sequencing

from .test_concurrency import requires_postgres, run_concurrently

FULL = os.environ.get("ZHIHENG_FULL_TRIALS") == "1"
KILL_TRIALS = int(os.environ.get("LEDGER_KILL_TRIALS", "100" if FULL else "10"))

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def entry_payloads() -> list[dict]:
    return [
        json.loads(bytes(d))["payload"]
        for d in Entry.objects.order_by("index").values_list("data", flat=True)
    ]


@override_settings(LEDGER_SEQUENCING="batched")
def test_16_concurrent_writers_are_integrated_with_no_gap_and_no_duplicate():
    requires_postgres()
    per_writer = 25

    def write(i: int) -> None:
        for k in range(per_writer):
            try:
                with transaction.atomic():
                    ledger.record("ledger.note", unit=f"u{i}", payload={"writer": i, "k": k})
                    if k % 5 == 4:
                        raise RuntimeError("the domain change fails")
            except RuntimeError:
                pass

    assert run_concurrently(write, 16) == []
    sequencing.integrate_all()  # a no-op unless an after-commit integration failed
    expected = 16 * per_writer * 4 // 5
    assert Pending.objects.count() == 0
    assert list(Entry.objects.order_by("index").values_list("index", flat=True)) == list(range(expected))
    assert Head.objects.get().size == expected
    seen = Counter((p["writer"], p["k"]) for p in entry_payloads())
    assert set(seen) == {(i, k) for i in range(16) for k in range(per_writer) if k % 5 != 4}
    assert max(seen.values()) == 1
    assert Entry.objects.filter(pending__isnull=True).count() == 0
    assert services.verify_all().ok


class Child:
    def __init__(self, *args: str) -> None:
        env = {
            **os.environ,
            "ZHIHENG_TEST_DATABASE_URL": database_url(),
            "ZHIHENG_TEST_LEDGER_SEQUENCING": "batched",
            "ZHIHENG_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
        }
        self.args = args
        self.acked: list[int] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zhiheng.ledger.tests.sequencing_child", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=settings.BASE_DIR,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.acked.append(int(line))

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)


def test_kill_9_of_writers_and_integrators_at_random_moments_loses_and_duplicates_nothing():
    requires_postgres()
    rng = random.Random(int(os.environ.get("LEDGER_KILL_SEED", "9")))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ledger_seq_domain")
        cursor.execute("CREATE TABLE ledger_seq_domain (writer int, seq int, PRIMARY KEY (writer, seq))")
    next_writer = 0
    children: list[Child] = []
    finished: list[Child] = []

    def start_writer() -> Child:
        nonlocal next_writer
        next_writer += 1
        return Child("writer", str(next_writer))

    try:
        children = [start_writer(), start_writer(), start_writer(), Child("integrator")]
        for _ in range(KILL_TRIALS):
            time.sleep(rng.uniform(0.0, 0.3))  # a random moment of the victim's loop
            victim = children.pop(rng.randrange(len(children)))
            victim.kill()
            finished.append(victim)
            children.append(start_writer() if victim.args[0] == "writer" else Child("integrator"))
    finally:
        for child in children:
            child.kill()
            finished.append(child)
    # The backends of killed processes end their transactions; then the sweep heals what was committed
    # but not integrated (the product's beat task / `zhiheng ledger integrate`).
    time.sleep(0.5)
    sequencing.integrate_all()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT writer, seq FROM ledger_seq_domain")
            domain = {(w, s) for w, s in cursor.fetchall()}
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE ledger_seq_domain")
    recorded = Counter((p["writer"], p["seq"]) for p in entry_payloads())
    size = Entry.objects.count()
    assert size > 0 and Pending.objects.count() == 0
    assert max(recorded.values()) == 1, "an entry integrated twice"
    assert set(recorded) == domain, "a domain change without its entry, or an entry without its change"
    acked = {(int(c.args[1]), s) for c in finished if c.args[0] == "writer" for s in c.acked}
    assert acked <= domain, "an acknowledged commit was lost"
    assert list(Entry.objects.order_by("index").values_list("index", flat=True)) == list(range(size))
    assert Head.objects.get().size == size
    assert services.verify_all().ok


@override_settings(LEDGER_SEQUENCING="batched")
def test_a_writer_returns_only_once_its_entry_is_in_the_tree_even_while_another_integrates():
    """The after-commit trigger does not queue behind a running integration (SKIP LOCKED) but waits for
    it: when record()'s transaction has returned, its entry is integrated, by this process or another."""
    requires_postgres()
    in_tree: list[bool] = []

    def write(i: int) -> None:
        for _ in range(10):
            with transaction.atomic():
                entry = ledger.record("ledger.note", unit=f"u{i}", payload={"writer": i})
            in_tree.append(Entry.objects.filter(pending=entry.pending).exists())

    assert run_concurrently(write, 16) == []
    assert len(in_tree) == 160 and all(in_tree)
    assert list(Entry.objects.order_by("index").values_list("index", flat=True)) == list(range(160))
