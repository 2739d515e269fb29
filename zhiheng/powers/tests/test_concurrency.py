"""Concurrency proofs on PostgreSQL: versions never collide; a draft is filed once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhiheng.core import clock
from zhiheng.core.errors import Conflict
from zhiheng.powers import services
from zhiheng.powers.models import DivisionPlan, PlanStatus

from .conftest import DAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_threads(n, target):
    results, barrier = [], threading.Barrier(n)

    def worker():
        try:
            barrier.wait()
            with clock.frozen(clock.at(DAY)):
                results.append(target())
        except Exception as exc:  # collected and asserted by the caller
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("并发验证需要 PostgreSQL 的行锁（设置 ZHIHENG_TEST_DATABASE_URL）")


def test_concurrent_drafts_get_distinct_versions(pw):
    results = run_threads(
        4, lambda: services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid).version
    )
    assert sorted(results) == [1, 2, 3, 4]


def test_a_draft_is_filed_exactly_once(pw):
    plan = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    results = run_threads(4, lambda: services.file_plan(by=pw.principal, plan=plan).status)
    assert results.count(PlanStatus.FILED) == 1
    assert sum(isinstance(r, Conflict) and r.rule == "R-DIV-5" for r in results) == 3
    assert DivisionPlan.objects.filter(status=PlanStatus.FILED).count() == 1
