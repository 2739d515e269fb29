"""Concurrent appends on PostgreSQL: one linear log — no fork, no gap, no duplicate (R-LED-2)."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from zhiheng import ledger
from zhiheng.ledger import services
from zhiheng.ledger.models import Entry, Head

WRITERS = 64
# CI's PostgreSQL pass sets ZHIHENG_FULL_TRIALS=1; a developer's run stays quick.
FULL = os.environ.get("ZHIHENG_FULL_TRIALS") == "1"
TRIALS = int(os.environ.get("LEDGER_CONCURRENCY_TRIALS", "100" if FULL else "10"))


def requires_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency proof needs PostgreSQL (SQLite serialises writers); set ZHIHENG_TEST_DATABASE_URL"
        )


def run_concurrently(worker, n: int) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait()
            for attempt in range(600):
                try:
                    worker(i)
                    break
                except OperationalError as exc:
                    # The shared server may be out of connection slots (other suites use it too):
                    # no connection means nothing was written, so trying again is safe.
                    if "too many clients" not in str(exc) or attempt == 599:
                        raise
                    connections.close_all()
                    time.sleep(0.05)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_64_concurrent_appends_make_one_linear_log_every_trial():
    requires_postgres()
    expected = 0
    for trial in range(TRIALS):

        def append(i: int, trial: int = trial) -> None:
            with transaction.atomic():
                ledger.record("ledger.note", subject=f"trial:{trial}", payload={"writer": i})
                if i % 16 == 0:
                    services.issue_checkpoint(reason="concurrent")

        assert run_concurrently(append, WRITERS) == []
        expected += WRITERS
        indices = list(Entry.objects.order_by("index").values_list("index", flat=True))
        assert indices == list(range(expected)), f"trial {trial}: fork or gap"
        assert Head.objects.get().size == expected
        report = services.verify_all()
        assert report.ok, f"trial {trial}: {report}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_rollbacks_consume_nothing():
    requires_postgres()

    def maybe_fail(i: int) -> None:
        try:
            with transaction.atomic():
                ledger.record("ledger.note", payload={"writer": i})
                if i % 2:
                    raise RuntimeError("roll back")
        except RuntimeError:
            pass

    assert run_concurrently(maybe_fail, WRITERS) == []
    assert list(Entry.objects.order_by("index").values_list("index", flat=True)) == list(range(WRITERS // 2))
    assert services.verify_all().ok
