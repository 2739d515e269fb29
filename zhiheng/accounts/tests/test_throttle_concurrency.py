"""Parallel guesses cannot slip past the throttle (issue 10): each attempt is counted under the counters'
row locks before its password is checked, so however many arrive together, exactly PAIR.free + 1 are
heard. PostgreSQL only (SQLite serialises writers anyway)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from zhiheng.accounts import backoff
from zhiheng.accounts.models import LoginAttempt, LoginThrottle
from zhiheng.accounts.signin import AuthFailed, Throttled, sign_in
from zhiheng.accounts.tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 24
TRIALS = 5


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency proof needs PostgreSQL (SQLite serialises writers); set ZHIHENG_TEST_DATABASE_URL"
        )


def test_a_burst_of_parallel_guesses_is_heard_only_up_to_the_limit(pg):
    executor = ThreadPoolExecutor(max_workers=PARALLEL)
    try:
        for trial in range(TRIALS):
            username = f"burst{trial}"
            PersonFactory(username=username)
            barrier = threading.Barrier(PARALLEL)

            def guess(i: int, username=username, barrier=barrier):
                barrier.wait()
                try:
                    sign_in(username=username, password=f"wrong-{i}", address="10.4.4.4")
                except (AuthFailed, Throttled) as exc:
                    return type(exc).__name__
                return "in"

            outcomes = list(executor.map(guess, range(PARALLEL)))
            assert outcomes.count("AuthFailed") == backoff.PAIR.free + 1, outcomes
            assert outcomes.count("Throttled") == PARALLEL - backoff.PAIR.free - 1
            pair = LoginThrottle.objects.get(key=f"pair:10.4.4.4|{username}")
            assert pair.failures == backoff.PAIR.free + 1
            assert LoginAttempt.objects.filter(username=username).count() == PARALLEL
    finally:
        closing = threading.Barrier(PARALLEL)

        def close(i: int) -> None:
            closing.wait()
            connections.close_all()

        list(executor.map(close, range(PARALLEL)))
        executor.shutdown()
