"""Concurrency proofs on PostgreSQL (R-MAT-5, R-MAT-2, idempotency), each over many trials.

64 worker threads are created once and reused for every trial (a barrier starts each trial's calls
together), so each keeps one database connection: the trials measure contention, not connecting.
Default: 25 trials per proof; ZHIHENG_FULL_TRIALS=1 runs 200.
"""

from __future__ import annotations

import datetime
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from zhiheng.core import clock
from zhiheng.core.errors import Conflict
from zhiheng.matters import services
from zhiheng.matters.models import BudgetLine, Matter, MatterEvent

WORKERS = 64
TRIALS = 200 if os.environ.get("ZHIHENG_FULL_TRIALS") == "1" else 25

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency proof needs PostgreSQL (SQLite serialises writers); set ZHIHENG_TEST_DATABASE_URL"
        )


class Pool:
    """64 long-lived threads; run(fn, n) calls fn(i) for i < n together, behind a barrier."""

    def __init__(self, size: int = WORKERS) -> None:
        self.size = size
        self.executor = ThreadPoolExecutor(max_workers=size)

    def run(self, fn, n: int | None = None) -> list:
        n = n or self.size
        barrier = threading.Barrier(n)

        def call(i: int):
            barrier.wait()
            try:
                return fn(i)
            except Conflict as exc:
                return exc

        return list(self.executor.map(call, range(n)))

    def close(self) -> None:
        # Every worker closes its own connection (they are thread-local).
        self.run(lambda i: connections.close_all())
        self.executor.shutdown()


@pytest.fixture
def pool(pg):
    p = Pool()
    yield p
    p.close()


def _matters(w, n: int, amount: str, line: BudgetLine | None) -> list[Matter]:
    """Setup only (the path under test is approve): n submitted matters, bulk-created."""
    now = clock.now()
    rows = [
        Matter(
            unit=w.unit,
            power=w.power["finance"],
            kind="expenditure",
            title=f"并发{i}",
            amount=Decimal(amount),
            budget_line=line,
            state="submitted",
            submitted_by=w.staff,
            submitted_at=now,
            deputy=w.deputy,
        )
        for i in range(n)
    ]
    return Matter.objects.bulk_create(rows)


def test_64_concurrent_approvals_never_overspend_a_line(mw, pool):
    w = mw
    for trial in range(TRIALS):
        line = BudgetLine.objects.create(
            unit=w.unit, code=f"race{trial}", name="并发", amount=Decimal("100000.00")
        )
        matters = _matters(w, WORKERS, "30000.00", line)  # only three fit
        results = pool.run(lambda i, ms=matters: services.approve(matter=ms[i], by=w.deputy))
        line.refresh_from_db()
        approved = [r for r in results if isinstance(r, Matter)]
        assert line.reserved <= line.amount
        assert len(approved) == 3, f"trial {trial}: {len(approved)} approvals"
        assert line.reserved == Decimal("90000.00")
        assert all(r.rule == "R-MAT-5" for r in results if isinstance(r, Conflict))


def test_64_concurrent_approvals_of_one_matter_approve_once(mw, pool):
    w = mw
    for trial in range(TRIALS):
        (matter,) = _matters(w, 1, "100.00", w.big)
        results = pool.run(lambda i, m=matter: services.approve(matter=m, by=w.deputy))
        assert sum(isinstance(r, Matter) for r in results) == 1, f"trial {trial}"
        assert MatterEvent.objects.filter(matter=matter, action="approved").count() == 1
    w.big.refresh_from_db()
    assert w.big.reserved == Decimal("100.00") * TRIALS


def test_concurrent_retries_with_one_idempotency_key_give_one_effect(mw, pg):
    from django.test import Client

    from zhiheng.accounts.services import issue_token
    from zhiheng.org.tests.factories import PASSWORD

    w = mw
    with clock.frozen(datetime.datetime.now(tz=clock.SHANGHAI)):  # the worker threads run on the real clock
        token = issue_token(username=w.deputy.username, password=PASSWORD)
    retries = 8
    executor = ThreadPoolExecutor(max_workers=retries)
    clients = [Client(HTTP_AUTHORIZATION=f"Bearer {token}") for _ in range(retries)]
    try:
        for trial in range(TRIALS):
            (matter,) = _matters(w, 1, "100.00", w.big)
            barrier = threading.Barrier(retries)

            def call(i: int, m=matter, key=f"trial-{trial}", barrier=barrier):
                barrier.wait()
                return clients[i].post(
                    f"/api/v1/matters/{m.pk}/approve",
                    "{}",
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY=key,
                )

            responses = list(executor.map(call, range(retries)))
            codes = sorted(r.status_code for r in responses)
            # One request runs; the others replay it (200) or find it still in flight (409 idempotency).
            assert codes.count(200) >= 1 and set(codes) <= {200, 409}, codes
            for r in responses:
                if r.status_code == 409:
                    assert r.json()["error"]["rule"] == "idempotency"
            assert MatterEvent.objects.filter(matter=matter, action="approved").count() == 1
            # A later retry replays the first response.
            again = clients[0].post(
                f"/api/v1/matters/{matter.pk}/approve",
                "{}",
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"trial-{trial}",
            )
            assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    finally:
        closing = threading.Barrier(retries)  # one close per worker thread: each waits for the others

        def close(i: int) -> None:
            closing.wait()
            connections.close_all()

        list(executor.map(close, range(retries)))
        executor.shutdown()
