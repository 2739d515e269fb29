"""Analytics benchmark (issue 15, Scale): the 成效分析 page and GET /analytics/latency for a district of
100 units and 5 years must answer in ≤ 200 ms.

    .venv/bin/python bench/analytics/run.py [--units 100] [--years 5] [--per-year 120] [--runs 15]
                                            [--postgres postgres://postgres@127.0.0.1:5432/zh_analytics_bench]

Builds a fresh database (SQLite under a temporary ZHIHENG_VAR_DIR; with `--postgres`, that database,
dropped and re-created) with bulk_create: one district of `--units` units, each with a team (principal,
three deputies, inspector, two staff), two powers, a filed division plan whose in-force date — the reform
date — falls in the second year (staggered per unit), a fifth of the units marked pilots; then per unit
`--per-year` matters a year over `--years` years (long waits for the principal before the reform, short
ones for the deputies after; 90 % decided, 5 % by a meeting, 5 % co-signed by the inspector, 1 % vetoed),
two sealed meetings a month with three items each, and a warning a month.

The rows are bulk-created around the services, so no ledger entry feeds the analytics' monthly roll-up
(decision 0022): the bench rebuilds it (`zhiheng analytics rebuild`) and prints how long that took.

Then, signed in as the district's commission admin, times (Django's test client, the whole view:
middleware, queries, the template; median and p95 wall time and median CPU time of this process over
`--runs` after two warm-up requests, with the load average before and after — the machine is shared):
  * GET /analytics/?district=…               — the page (every chart and table);
  * GET /analytics/?district=…&from=&to=     — the page for the last 12 months;
  * GET /analytics/?unit=…                   — one unit's page;
  * GET /api/v1/analytics/latency?district=…&by=deputy — the endpoint;
and prints the queries per page, against the 200 ms target. The page's figures are cached under the ledger's
version (decision 0022): the two district pages are timed also "cold", the cache emptied before each
request, as the first view after any write is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 200.0
BATCH = 5000


def setup_django(postgres: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["ZHIHENG_VAR_DIR"] = tempfile.mkdtemp(prefix="zh-bench-analytics-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["ZHIHENG_DEBUG"] = "0"
    if postgres:
        _recreate(postgres)
        os.environ["ZHIHENG_DATABASE_URL"] = postgres
    else:
        os.environ.pop("ZHIHENG_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(units: int, years: int, per_year: int, seed: int = 15) -> dict[str, object]:
    from django.contrib.auth.hashers import make_password

    from zhiheng.accounts.models import Person
    from zhiheng.core import clock
    from zhiheng.matters.models import Cosign, Matter, MatterEvent
    from zhiheng.meetings.models import Item, Meeting
    from zhiheng.org.models import District, DistrictRole, Membership, Unit
    from zhiheng.pilots.models import Member, Programme
    from zhiheng.powers.models import Category, DivisionPlan, Power
    from zhiheng.powers.seed import ensure_seeded
    from zhiheng.risk.models import Warning

    rng = random.Random(seed)
    ensure_seeded()
    categories = {c.code: c for c in Category.objects.filter(code__in=("finance", "procurement"))}
    end = dt.date(2026, 11, 20)
    start = end - dt.timedelta(days=365 * years)
    district = District.objects.create(code="bench", name="基准区")
    password = make_password("bench")
    admin = Person.objects.create(username="bench-admin", name="纪委管理员", password=password)
    DistrictRole.objects.create(person=admin, district=district, role="commission_admin", start=start)
    unit_rows = Unit.objects.bulk_create(
        [Unit(code=f"u{i:03d}", name=f"第{i + 1}单位", district=district) for i in range(units)]
    )
    roles = ("principal", "deputy", "deputy", "deputy", "inspector", "staff", "staff")
    people = Person.objects.bulk_create(
        [
            Person(username=f"u{i:03d}-{r}{k}", name=f"人员{i}-{k}", password=password)
            for i in range(units)
            for k, r in enumerate(roles)
        ]
    )
    team = {u.pk: people[i * len(roles) : (i + 1) * len(roles)] for i, u in enumerate(unit_rows)}
    Membership.objects.bulk_create(
        [
            Membership(person=p, unit=u, role=r, start=start)
            for u in unit_rows
            for p, r in zip(team[u.pk], roles, strict=True)
        ]
    )
    powers = Power.objects.bulk_create(
        [Power(unit=u, code=c, name=c, category=categories[c]) for u in unit_rows for c in categories]
    )
    power_of = {(p.unit_id, p.category_id): p for p in powers}
    reforms = {u.pk: start + dt.timedelta(days=365 + rng.randrange(0, 300)) for u in unit_rows}
    DivisionPlan.objects.bulk_create(
        [
            DivisionPlan(
                unit=u,
                version=1,
                status="filed",
                in_force_from=reforms[u.pk],
                drafted_by=team[u.pk][0],
                drafted_at=clock.at(reforms[u.pk] - dt.timedelta(days=10), 9),
                filed_by=team[u.pk][0],
                filed_at=clock.at(reforms[u.pk] - dt.timedelta(days=5), 9),
            )
            for u in unit_rows
        ]
    )
    pilot = Programme.objects.create(district=district, name="试点", created_by=admin)
    Member.objects.bulk_create(
        [Member(programme=pilot, unit=u, added_at=clock.at(start, 9)) for u in unit_rows[: units // 5]]
    )
    span = (end - start).days
    matters: list[Matter] = []
    for u in unit_rows:
        principal, deputies, staff = team[u.pk][0], team[u.pk][1:4], team[u.pk][5:7]
        for n in range(per_year * years):
            day = start + dt.timedelta(days=rng.randrange(0, span))
            submitted = clock.at(day, 9 + n % 8)
            category = "finance" if n % 2 else "procurement"
            before = day < reforms[u.pk]
            deputy = principal if before else deputies[n % 3]
            wait = dt.timedelta(hours=rng.randrange(24 * 8, 24 * 40) if before else rng.randrange(2, 24 * 6))
            decided = n % 10 != 0 and submitted + wait < clock.at(end, 18)
            collective = decided and n % 20 == 1
            matters.append(
                Matter(
                    unit=u,
                    power=power_of[(u.pk, categories[category].pk)],
                    kind="expenditure" if category == "finance" else "purchase",
                    title=f"事项{n}",
                    amount=Decimal(rng.randrange(1000, 90000)),
                    category=category,
                    state="executed" if decided else "submitted",
                    submitted_by=staff[n % 2],
                    submitted_at=submitted,
                    deputy=deputy,
                    decided_by=deputy if decided and not collective else None,
                    decided_at=submitted + wait if decided else None,
                    decision_ref="meeting:0/item:0" if collective else "",
                )
            )
    for i in range(0, len(matters), BATCH):
        Matter.objects.bulk_create(matters[i : i + BATCH])
    events, cosigns = [], []
    for n, m in enumerate(matters):
        events.append(
            MatterEvent(
                matter=m, at=m.submitted_at, actor=m.submitted_by, action="submitted", state="submitted"
            )
        )
        if m.decided_at is not None and n % 20 == 3:
            events.append(
                MatterEvent(
                    matter=m, at=m.decided_at, actor=m.deputy, action="approved", state="awaiting_cosign"
                )
            )
            inspector = team[m.unit_id][4]
            cosigns.append(
                Cosign(
                    matter=m,
                    signer=inspector,
                    role="inspector",
                    signed_at=m.decided_at + dt.timedelta(hours=rng.randrange(2, 120)),
                )
            )
        if m.decided_at is not None and n % 100 == 7:
            events.append(
                MatterEvent(
                    matter=m,
                    at=m.decided_at + dt.timedelta(hours=3),
                    actor=team[m.unit_id][0],
                    action="vetoed",
                    state="vetoed",
                )
            )
    for i in range(0, len(events), BATCH):
        MatterEvent.objects.bulk_create(events[i : i + BATCH])
    Cosign.objects.bulk_create(cosigns, batch_size=BATCH)
    meetings = []
    for u in unit_rows:
        for month in range(12 * years):
            for k in range(2):
                day = start + dt.timedelta(days=30 * month + 7 + 10 * k)
                meetings.append(
                    Meeting(
                        unit=u,
                        kind="party_committee",
                        date=day,
                        chair=team[u.pk][0],
                        created_by=team[u.pk][0],
                        state="sealed",
                        sealed_at=clock.at(day, 12),
                    )
                )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    items = [
        Item(
            meeting=m,
            number=k + 1,
            title=f"议题{k + 1}",
            decision="passed" if k else "rejected",
            agree=3,
            disagree=rng.choice((0, 0, 0, 1, 2)),
        )
        for m in meetings
        for k in range(3)
    ]
    Item.objects.bulk_create(items, batch_size=BATCH)
    warnings = [
        Warning(
            rule="RF7",
            unit=u,
            subject=f"matter:{month}",
            explanation="等待过久",
            source=f"bench:{u.pk}:{month}",
            created=clock.at(start + dt.timedelta(days=30 * month + 3), 9),
            resolved_at=clock.at(start + dt.timedelta(days=30 * month + 20), 9) if month % 3 else None,
            status="explained" if month % 3 else "open",
        )
        for u in unit_rows
        for month in range(12 * years)
    ]
    Warning.objects.bulk_create(warnings, batch_size=BATCH)
    return {
        "admin": admin,
        "unit": unit_rows[0].code,
        "matters": len(matters),
        "events": len(events),
        "cosigns": len(cosigns),
        "meetings": len(meetings),
        "items": len(items),
        "warnings": len(warnings),
        "end": end,
    }


def timed(
    client, url: str, runs: int, headers: dict[str, str] | None = None, cold: bool = False
) -> tuple[float, float, float, int]:
    """(median wall ms, p95 wall ms, median CPU ms of this process, queries) of `runs` requests. The CPU time
    is the bench process's own (the view, and SQLite's work, which runs in-process); on PostgreSQL the
    server's share is not in it."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url, **(headers or {}))
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times, cpu = [], []
    from django.core.cache import cache

    for _ in range(runs):
        reset_queries()
        if cold:  # as the first view after any write: the figures' cache is keyed by the ledger's version
            cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url, **(headers or {}))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, **(headers or {}))
    times.sort()
    return (
        statistics.median(times),
        times[max(0, int(len(times) * 0.95) - 1)],
        statistics.median(cpu),
        len(ctx.captured_queries),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-year", type=int, default=120)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--profile", action="store_true", help="print where the district page's time goes")
    args = parser.parse_args()
    setup_django(args.postgres)
    from django.db import connection
    from django.test import Client

    t0 = time.perf_counter()
    world = build(args.units, args.years, args.per_year)
    built = time.perf_counter() - t0
    print(
        f"database: {connection.vendor}; built in {built:.1f} s: {args.units} units × {args.years} years — "
        f"{world['matters']:,} matters, {world['events']:,} events, {world['cosigns']:,} co-signatures, "
        f"{world['meetings']:,} sealed meetings ({world['items']:,} items), {world['warnings']:,} warnings",
        flush=True,
    )
    from zhiheng.analytics import rollup

    t0 = time.perf_counter()
    rollup.rebuild()  # the rows were bulk-created around the services: `zhiheng analytics rebuild`
    print(f"monthly roll-up rebuilt in {time.perf_counter() - t0:.1f} s", flush=True)
    client = Client()
    client.force_login(world["admin"])
    from zhiheng.accounts.services import issue_token

    token = issue_token(username="bench-admin", password="bench")  # noqa: S106  a throwaway bench database
    end = world["end"]
    last_year = f"from={end - dt.timedelta(days=365)}&to={end}"
    cases = [
        ("page, district, 5 years", "/analytics/?district=bench", None),
        ("page, district, last 12 months", f"/analytics/?district=bench&{last_year}", None),
        ("page, one unit, 5 years", f"/analytics/?unit={world['unit']}", None),
        (
            "API latency by deputy, district",
            "/api/v1/analytics/latency?district=bench&by=deputy&limit=500",
            {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        ),
    ]
    worst = 0.0
    print("load average before timing: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    cold_cases = [
        (f"{label} (cold)", url, headers, True) for label, url, headers in cases if headers is None
    ][:2]
    for label, url, headers, cold in [(*case, False) for case in cases] + cold_cases:
        median, p95, cpu, queries = timed(client, url, args.runs, headers, cold=cold)
        worst = max(worst, median)
        print(
            f"{label:34} median {median:7.1f} ms   p95 {p95:7.1f} ms   cpu {cpu:7.1f} ms   {queries:3d} queries   "
            f"(target ≤ {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'})",
            flush=True,
        )
    print("load average after timing: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"slowest median / target = {worst / TARGET_MS:.2f}")
    if args.profile:
        profile(client, [url for _label, url, headers in cases if headers is None][:2])
    return 0


def profile(client, urls: list[str]) -> None:
    """cProfile of the pages, cold (10 requests each, the figures' cache emptied before each), the costliest
    functions by their own and their callees' time."""
    import cProfile
    import pstats

    from django.core.cache import cache

    for url in urls:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            cache.clear()
            client.get(url)
        profiler.disable()
        print(f"\n--- {url}")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    sys.exit(main())
