"""Matters benchmark: the cost of the rule checks, and sustained approvals per second on PostgreSQL.

    .venv/bin/python bench/matters/run.py [--matters 200] [--approvals 400] [--clients 1,8,32]
                                          [--postgres postgres://postgres@127.0.0.1:5432/zh_bench_matters]

1. Rule-check cost: POST /api/v1/matters/{id}/approve (authorize against the division plan, lock the
   matter, check the transition, collective/joint-review rules, reserve the budget with a conditional
   UPDATE, write the history row and the ledger entry) against a plain authenticated GET of the same
   matter, each through the full Django stack in process (test Client, bearer token), one at a time.
   Prints the medians and their ratio, and the queries one GET, one approve and one page of the list
   (GET /matters?limit=50) cost.
2. Sustained approvals: N client threads, each with its own connection, approve distinct matters that
   all draw on ONE budget line (the worst case: every approval updates the same row and appends to the
   one ledger head). Prints approvals per second per client count.
The database is dropped and recreated on each run (a throwaway of its own).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/zh_bench_matters"


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["ZHIHENG_DATABASE_URL"] = url
    os.environ.setdefault("ZHIHENG_VAR_DIR", tempfile.mkdtemp(prefix="zh-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed():
    from conftest import build_world
    from zhiheng.core import clock
    from zhiheng.matters.tests.conftest import DAY, build_matters_world

    with clock.frozen(clock.at(DAY)):
        return build_matters_world(build_world())


def make_matters(w, n: int, line):
    from decimal import Decimal

    from zhiheng.core import clock
    from zhiheng.matters.models import Matter

    now = clock.now()
    return Matter.objects.bulk_create(
        Matter(
            unit=w.unit,
            power=w.power["finance"],
            kind="expenditure",
            title=f"bench {i}",
            amount=Decimal("10.00"),
            budget_line=line,
            state="submitted",
            submitted_by=w.staff,
            submitted_at=now,
            deputy=w.deputy,
        )
        for i in range(n)
    )


def client_for(username: str):
    from django.test import Client

    from zhiheng.accounts.services import issue_token
    from zhiheng.org.tests.factories import PASSWORD

    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(username=username, password=PASSWORD)}")


def rule_cost(w, n: int) -> None:
    from decimal import Decimal

    from zhiheng.matters.models import BudgetLine

    line = BudgetLine.objects.create(
        unit=w.unit, code="bench-cost", name="bench", amount=Decimal("100000000.00")
    )
    matters = make_matters(w, n, line)
    deputy = client_for(w.deputy.username)
    gets, posts = [], []
    for m in matters:
        t = time.perf_counter()
        r = deputy.get(f"/api/v1/matters/{m.pk}")
        gets.append(time.perf_counter() - t)
        assert r.status_code == 200, r.content
        t = time.perf_counter()
        r = deputy.post(f"/api/v1/matters/{m.pk}/approve", "{}", content_type="application/json")
        posts.append(time.perf_counter() - t)
        assert r.status_code == 200, r.content
    g, p = statistics.median(gets) * 1000, statistics.median(posts) * 1000
    query_counts(w, deputy)
    print(
        f"rule-check cost ({n} matters): GET median {g:.2f} ms, approve median {p:.2f} ms, ratio {p / g:.2f}x"
    )
    print(
        f"  p90: GET {sorted(gets)[int(n * 0.9)] * 1000:.2f} ms, approve {sorted(posts)[int(n * 0.9)] * 1000:.2f} ms"
    )


def query_counts(w, deputy) -> None:
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhiheng.matters.models import BudgetLine

    line = BudgetLine.objects.create(unit=w.unit, code="bench-q", name="bench", amount=Decimal("1000.00"))
    m = make_matters(w, 1, line)[0]
    deputy.get(f"/api/v1/matters/{m.pk}")  # warm up
    counts = {}
    for name, call in (
        ("GET /matters/{id}", lambda: deputy.get(f"/api/v1/matters/{m.pk}")),
        ("GET /matters?limit=50", lambda: deputy.get("/api/v1/matters", {"limit": 50})),
        (
            "POST /matters/{id}/approve",
            lambda: deputy.post(f"/api/v1/matters/{m.pk}/approve", "{}", content_type="application/json"),
        ),
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert call().status_code == 200
        counts[name] = len(ctx.captured_queries)
    print("  queries: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    times = []
    for _ in range(20):
        t = time.perf_counter()
        deputy.get("/api/v1/matters", {"limit": 50})
        times.append(time.perf_counter() - t)
    print(
        f"  GET /matters?limit=50 (a page of 50 with their actions): median {statistics.median(times) * 1000:.2f} ms"
    )


def sustained(w, total: int, clients: int) -> None:
    from decimal import Decimal

    from django.db import connections

    from zhiheng.matters.models import BudgetLine, Matter

    line = BudgetLine.objects.create(
        unit=w.unit, code=f"bench-{clients}", name="bench", amount=Decimal("100000000.00")
    )
    matters = make_matters(w, total, line)
    chunks = [matters[i::clients] for i in range(clients)]
    barrier = threading.Barrier(clients)

    def worker(i: int) -> int:
        c = client_for(w.deputy.username)
        barrier.wait()
        ok = 0
        for m in chunks[i]:
            r = c.post(f"/api/v1/matters/{m.pk}/approve", "{}", content_type="application/json")
            ok += r.status_code == 200
        connections.close_all()
        return ok

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        done = sum(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - start
    line.refresh_from_db()
    assert done == total and line.reserved == Decimal("10.00") * total, (done, line.reserved)
    assert Matter.objects.filter(budget_line=line, state="approved").count() == total
    print(
        f"sustained: {clients:>2} clients, {total} approvals on one budget line in {elapsed:.2f} s "
        f"= {total / elapsed:.0f} approvals/s (reserved {line.reserved} = sum, never over)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default=DEFAULT_PG)
    # Defaults sized to finish in a few minutes on the shared 2-core machine.
    parser.add_argument("--matters", type=int, default=200)
    parser.add_argument("--approvals", type=int, default=400)
    parser.add_argument("--clients", default="1,8,32")
    args = parser.parse_args()
    recreate(args.postgres)
    setup_django(args.postgres)
    from django.db import connection

    w = seed()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    rule_cost(w, args.matters)
    for clients in (int(c) for c in args.clients.split(",")):
        sustained(w, args.approvals, clients)
    connection.close()


if __name__ == "__main__":
    main()
