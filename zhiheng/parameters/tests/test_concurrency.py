"""Concurrent changes of one district's parameters, on PostgreSQL: the district row is the lock, so each
change starts from the values the previous one left (no lost update) and the versions chain exactly."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from zhiheng import parameters
from zhiheng.ledger.models import Entry
from zhiheng.parameters.models import ParameterVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS, TRIALS = 8, 5


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency proof needs PostgreSQL (SQLite serialises writers); set ZHIHENG_TEST_DATABASE_URL"
        )


def test_concurrent_changes_chain_without_a_lost_update(pg, world):
    executor = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        for trial in range(TRIALS):
            barrier = threading.Barrier(WORKERS)

            def change(i: int, trial: int = trial, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                # Meetings merges a change over the values in force: each worker changes one field of its own.
                window = {"past_days": i} if i % 2 else {"future_days": 30 + i}
                parameters.set_values(
                    "meetings", by=world.admin, unit=world.unit, values={"record_window": window}
                )

            list(executor.map(change, range(WORKERS)))
        versions = list(ParameterVersion.objects.filter(unit=world.unit).order_by("pk"))
        assert len(versions) == WORKERS * TRIALS
        before = None
        for version in versions:
            entry = Entry.objects.get(index=version.ledger_index)
            recorded = json.loads(entry.text)["payload"]
            assert recorded["before"] == before and recorded["after"] == version.values
            before = version.values
    finally:
        closing = threading.Barrier(WORKERS)  # every worker closes its own (thread-local) connection

        def close(i: int) -> None:
            closing.wait()
            connections.close_all()

        list(executor.map(close, range(WORKERS)))
        executor.shutdown()
