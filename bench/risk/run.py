# ruff: noqa: S608 — the SQL is composed of this script's constants and integers (synthetic data only).
"""Red-flag scan benchmark (issue 15): the project's scan engine over synthetic history, against hand-written
DuckDB in the same run.

    .venv/bin/python bench/risk/run.py [--matters 1000000] [--units 3000] [--years 5] [--workers 2]
                                       [--python-share 0] [--build-all] [--repeat 2]

1. Data: `--matters` matters of `--units` units over `--years` years, generated inside DuckDB (hash-based,
   deterministic): 70% purchases / 30% expenditures, log-uniform amounts ¥500–¥200,000 (Benford-like),
   20 vendors and 40 purposes per unit, approval waits of 0–72 h, one budget line per unit and year; every
   100th unit hugs the ¥50,000 collective threshold (30% of its amounts in ¥45,000–¥49,999) and every
   150th unit splits purchases (pairs of ¥30,000 to one vendor within days).
2. Hand-written DuckDB SQL (2 threads) for RF2 (per counterparty only, a 30-day RANGE window, peers at one
   instant counted), RF4 (annual share by vendor) and RF9 (annual band counts; the exact binomial tail in
   Python for the candidates): the baseline of the issue.
3. The project's scan engine — `zhiheng.risk.columnar` (decision 0023 and its addendum), the engine
   `zhiheng risk scan` runs — on its mirror, a DuckDB file: the first (full) load of yesterday's history
   (`columnar.load`: normalised names per distinct string; the product's mirror is filled from
   SQLite/PostgreSQL by `redflags.export`) and a first night judging every rule over all of it; then, per
   round, a night: the day's changes — the matters submitted on the last day (new) and as many older ones
   decided since yesterday at another amount (changed) — synced into the mirror through `columnar.upsert`
   (the product's path), every rule it judges (RF2 both bases, RF4, RF5 outside a meeting, RF7, RF8, RF9,
   RF10) selected over the whole mirror — RF2 judging again only the streams the day touched, the sums
   kept per group brought up to date — and the findings no warning has raised built (an anti-join in SQL
   against the raised sources). Threads: the machine's cores. Timed per step, wall and CPU, with the load
   average. `--build-all` also builds every finding (a first scan).
4. With `--python-share` > 0: the per-unit Python indicators (`zhiheng.risk.indicators`, the event path's
   definition) on that share of the units over `--workers` processes, extrapolated linearly; with 1 (a
   small run) the two engines' findings are compared source by source.

Needs the `duckdb` package (a pinned dependency of the project).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from zhiheng.risk import columnar
from zhiheng.risk.indicators import (
    MatterFact,
    PlanFact,
    Thresholds,
    WaitFact,
    rf2,
    rf4,
    rf5,
    rf6,
    rf7,
    rf8,
    rf9,
    rf10,
    rf11,
)
from zhiheng.risk.indicators.stats import binomial_upper_tail

T = Thresholds()
START = dt.datetime(2021, 1, 1)  # noqa: DTZ001  DuckDB TIMESTAMP values are naive: so is "now" here

GENERATE = """
CREATE TABLE m AS
WITH base AS (
  SELECT i AS id, i % {units} AS unit,
         (hash(i, 1) % 1000000) / 1000000.0 AS u1, (hash(i, 2) % 1000000) / 1000000.0 AS u2,
         hash(i, 3) AS h3, hash(i, 4) AS h4, hash(i, 5) AS h5, hash(i, 6) AS h6
  FROM range({matters}) t(i)
)
SELECT id, unit,
  CASE WHEN u2 < 0.7 THEN 'purchase' ELSE 'expenditure' END AS kind,
  '用途' || chr(CAST(19968 + h3 % 40 AS INTEGER)) || '（第' || (h4 % 9) || '批）' AS title,
  CAST(CASE
    WHEN unit % 150 = 7 AND u2 < 0.2 THEN 30000 + (h5 % 1000)
    WHEN unit % 100 = 0 AND u1 < 0.3 THEN 45000 + (h5 % 4999)
    ELSE round(exp(ln(500) + u1 * ln(400)), 2) END AS DECIMAL(16, 2)) AS amount,
  'vendor-' || unit || '-' || CASE WHEN unit % 150 = 7 AND u2 < 0.2 THEN 0 ELSE h4 % 20 END AS counterparty,
  TIMESTAMP '2021-01-01' + to_seconds(CAST(h6 % ({years} * 365 * 86400) AS BIGINT)) AS submitted_at,
  'dep' || (h3 % 4) AS deputy,
  'line-' || (h5 % 3) AS budget_line
FROM base;
ALTER TABLE m ADD COLUMN decided_at TIMESTAMP;
UPDATE m SET decided_at = submitted_at + to_seconds(CAST(hash(id, 7) % (72 * 3600) AS BIGINT));
"""

QUERIES = {
    "RF2": """
        SELECT count(*) FROM (
          SELECT amount, sum(amount) OVER (
              PARTITION BY unit, counterparty ORDER BY submitted_at
              RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS upto
          FROM m WHERE kind IN ('purchase', 'expenditure') AND amount < 50000
        ) WHERE upto - amount > 0 AND upto - amount < 50000 AND upto >= 50000""",
    "RF4": """
        WITH y AS (
          SELECT unit, year(submitted_at) AS yr, counterparty, sum(amount) AS amt, count(*) AS n
          FROM m WHERE kind = 'purchase' GROUP BY ALL),
        t AS (SELECT unit, yr, sum(amt) AS total, sum(n) AS n FROM y GROUP BY ALL)
        SELECT count(*) FROM y JOIN t USING (unit, yr)
        WHERE t.n >= 5 AND t.total >= 100000 AND y.amt > 0.5 * t.total""",
    "RF9": """
        SELECT unit, year(submitted_at) AS yr,
               count(*) FILTER (WHERE amount >= 45000) AS k, count(*) AS n
        FROM m WHERE kind IN ('purchase', 'expenditure') AND amount >= 40000 AND amount < 50000
        GROUP BY ALL HAVING count(*) >= 10 AND count(*) FILTER (WHERE amount >= 45000) * 2 > count(*)""",
}


def generate(path: str, matters: int, units: int, years: int) -> float:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(path)
    con.execute("SET threads = 2")
    con.execute(GENERATE.format(matters=matters, units=units, years=years))
    con.execute("CREATE INDEX m_unit ON m (unit)")
    con.close()
    return time.perf_counter() - started


def judge_unit(unit: int, rows: list[tuple], as_of: dt.datetime) -> Counter[str]:
    """Every indicator over one unit's rows, as the scan does (engine.unit_findings), on plain values."""
    matters = [
        MatterFact(
            id=r[0],
            unit=str(unit),
            kind=r[1],
            title=r[2],
            amount=r[3],
            counterparty=r[4],
            submitted_at=r[5],
            state="approved",
            deputy=r[6],
            decided_at=r[8],
            decided_by=r[6],
            budget_line=r[7],
        )
        for r in rows
    ]
    waits = [WaitFact(m.id, m.unit, m.deputy, "decide", m.submitted_at, m.decided_at) for m in matters]
    lines = {f"line-{i}": Decimal("1e12") for i in range(3)}
    plan = PlanFact(
        str(unit), 1, dt.date(2021, 1, 1), (("fin", "finance", "dep0"), ("buy", "procurement", "dep1"))
    )
    found = [
        *rf2.find(matters, T),
        *rf4.find(matters, T),
        *rf9.find(matters, T),
        *rf10.find(matters, T),
        *rf7.find(waits, T, as_of=as_of),
        *rf8.find(matters, lines),
        *rf5.outside_meeting(matters, set()),
        *rf11.find([plan], [("finance", "procurement")]),
        *rf6.plan_not_filed(
            str(unit),
            deadline_id=1,
            label="r",
            due=dt.date(2021, 4, 1),
            filed_on=dt.date(2021, 3, 1),
            as_of=as_of.date(),
            t=T,
        ),
    ]
    counts = Counter(f.rule for f in found)
    counts["RF2/counterparty"] = sum(1 for f in found if f.rule == "RF2" and "同一相对方" in f.explanation)
    counts.update({f.source: 1 for f in found if f.rule in columnar.RULES})
    return counts


def python_shard(args: tuple[str, int, int, int]) -> tuple[Counter[str], int, float, float]:
    """One worker: its units' rows streamed from DuckDB, each unit judged. Returns the findings, the
    matters judged, and the seconds spent fetching and judging."""
    import duckdb

    path, shard, workers, units = args
    con = duckdb.connect(path, read_only=True)
    con.execute("SET threads = 1")
    cursor = con.execute(
        "SELECT unit, id, kind, title, amount, counterparty, submitted_at, deputy, budget_line, decided_at "
        "FROM m WHERE unit % ? = ? AND unit < ? ORDER BY unit, submitted_at, id",
        [workers, shard, units],
    )
    as_of = START + dt.timedelta(days=5 * 365)
    counts: Counter[str] = Counter()
    fetching = judging = 0.0
    judged = 0
    current, rows = None, []
    while True:
        t0 = time.perf_counter()
        batch = cursor.fetchmany(200_000)
        fetching += time.perf_counter() - t0
        t0 = time.perf_counter()
        for row in batch:
            if row[0] != current:
                if rows:
                    counts += judge_unit(current, rows, as_of)
                    judged += len(rows)
                current, rows = row[0], []
            rows.append(row[1:])
        if not batch and rows:
            counts += judge_unit(current, rows, as_of)
            judged += len(rows)
        judging += time.perf_counter() - t0
        if not batch:
            break
    return counts, judged, fetching, judging


def run_python(path: str, units: int, workers: int, share: float) -> tuple[float, Counter[str], int, float]:
    limit = max(1, int(units * share))
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(python_shard, [(path, w, workers, limit) for w in range(workers)]))
    elapsed = time.perf_counter() - started
    counts: Counter[str] = Counter()
    for c, *_rest in results:
        counts += c
    judged = sum(r[1] for r in results)
    fetch = max(r[2] for r in results)
    return elapsed, counts, judged, fetch


def run_duckdb(path: str) -> tuple[dict[str, float], dict[str, int], float]:
    import duckdb

    con = duckdb.connect(path, read_only=True)
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    times, counts = {}, {}
    cpu = time.process_time()
    for rule, sql in QUERIES.items():
        started = time.perf_counter()
        rows = con.execute(sql).fetchall()
        if rule == "RF9":  # the exact one-sided binomial tail for the candidate unit-years
            counts[rule] = sum(1 for _u, _y, k, n in rows if binomial_upper_tail(k, n) < T.rf9_alpha)
        else:
            counts[rule] = rows[0][0]
        times[rule] = time.perf_counter() - started
    con.close()
    return times, counts, time.process_time() - cpu


# The synthetic matters in the scan's schema: unit codes as text, every matter approved by its deputy,
# three budget lines per unit declared for every year, the deciding deputy's wait per matter.
RAW = """SELECT id, CAST(unit AS VARCHAR) AS unit, kind, title, amount, counterparty,
  submitted_at, {state} AS state, deputy, {decided} AS decided_at, deputy AS decided_by, budget_line,
  false AS requires_collective, '' AS decision_ref FROM b.m"""
WAITS = (
    """SELECT id, CAST(unit AS VARCHAR), deputy, 'decide', submitted_at, {decided}, title, deputy FROM b.m"""
)
LINES = "INSERT INTO lines SELECT CAST(u AS VARCHAR), 'line-' || i, 1e12, NULL FROM range({units}) a(u), range(3) c(i)"
# A day of changes (the nightly sync): the matters submitted on the last day are new, and as many older
# ones change — yesterday they waited (state submitted, no decision) at 90% of today's amount.
DAY = "submitted_at >= TIMESTAMP '2021-01-01' + INTERVAL ({years} * 365 - 1) DAY"
EDITED = "(id % {every} = 7 AND NOT ({day}))"
YESTERDAY_STATE = "CASE WHEN {edited} THEN 'submitted' ELSE 'approved' END"
YESTERDAY_DECIDED = "CASE WHEN {edited} THEN NULL ELSE decided_at END"
YESTERDAY_AMOUNT = "CASE WHEN {edited} THEN CAST(round(amount * 0.9, 2) AS DECIMAL(16, 2)) ELSE amount END"


def _day(con, years: int, matters: int) -> tuple[str, str]:
    day = DAY.format(years=years)
    edited = EDITED.format(every=max(1, years * 365), day=day)
    return day, edited


def sync_day(con, years: int, matters: int, *, today: bool) -> tuple[float, int]:
    """The day's matters (new and changed) written into the mirror through `columnar.upsert`, as the
    product's sync does: today's rows, or (`today=False`, the reset between rounds) yesterday's."""
    day, edited = _day(con, years, matters)
    started = time.perf_counter()
    state = "'approved'" if today else YESTERDAY_STATE.format(edited=edited)
    decided = "decided_at" if today else YESTERDAY_DECIDED.format(edited=edited)
    raw = RAW.format(state=state, decided=decided)
    if not today:
        raw = raw.replace(
            "amount, counterparty", f"{YESTERDAY_AMOUNT.format(edited=edited)} AS amount, counterparty", 1
        )
    con.execute(f"CREATE OR REPLACE TEMP TABLE day_ids AS SELECT id FROM b.m WHERE ({day}) OR {edited}")
    where = f"id IN (SELECT id FROM day_ids){'' if today else f' AND NOT ({day})'}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE day_matters AS {raw} WHERE {where}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE day_waits AS {WAITS.format(decided=decided)} WHERE {where}")
    columnar.upsert(con, "day_matters", "SELECT id FROM day_ids", waits="day_waits")
    n = con.execute("SELECT count(*) FROM day_ids").fetchone()[0]
    return time.perf_counter() - started, n


def run_columnar(path: str, mirror: str, args: argparse.Namespace) -> dict[str, object]:
    """The project's engine on a mirror kept in a DuckDB file: the first (full) load of yesterday's
    history, then `repeat` rounds of the hand-written baseline followed by a night — the day's changes
    synced into the mirror, every rule selected (RF2 only on the streams the day touched), the new
    findings built — alternating, so a shared machine's load weighs on both alike."""
    import duckdb

    units, years = args.units, args.years
    con = duckdb.connect(mirror)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{path}' AS b (READ_ONLY)")
    out: dict[str, object] = {}
    day, edited = _day(con, years, args.matters)
    wall, cpu = time.perf_counter(), time.process_time()
    con.execute(columnar.SCHEMA)
    raw = RAW.format(
        state=YESTERDAY_STATE.format(edited=edited), decided=YESTERDAY_DECIDED.format(edited=edited)
    )
    raw = raw.replace(
        "amount, counterparty", f"{YESTERDAY_AMOUNT.format(edited=edited)} AS amount, counterparty", 1
    )
    con.execute(f"CREATE TEMP TABLE raw_matters AS {raw} WHERE NOT ({day})")
    con.execute(
        f"INSERT INTO waits {WAITS.format(decided=YESTERDAY_DECIDED.format(edited=edited))} WHERE NOT ({day})"
    )
    con.execute(LINES.format(units=units))
    columnar.load(con, "raw_matters")
    con.execute("DROP TABLE raw_matters")
    con.execute("CHECKPOINT")
    out["copy"] = (time.perf_counter() - wall, time.process_time() - cpu, os.getloadavg())
    as_of = START + dt.timedelta(days=years * 365)
    # Yesterday's night: every rule over the whole mirror (RF2 over every stream: no hit kept yet).
    wall, cpu = time.perf_counter(), time.process_time()
    first = columnar.Columnar(con, as_of=as_of, default=T)
    timings: dict[str, float] = {}
    first.select(timings=timings)
    con.execute(
        "CREATE TABLE raised AS "
        + " UNION ALL ".join(f"SELECT source FROM found_{r}" for r in columnar.RULES)
    )
    out["full"] = (time.perf_counter() - wall, time.process_time() - cpu, timings, os.getloadavg())
    rounds = []
    for _ in range(args.repeat):
        db_times, db_counts, db_cpu = run_duckdb(path)
        sync_day(con, years, args.matters, today=False)  # back to yesterday (not timed) …
        columnar.Columnar(con, as_of=as_of, default=T).select()
        wall, cpu = time.perf_counter(), time.process_time()
        synced, changed = sync_day(con, years, args.matters, today=True)  # … and the night of today
        scan = columnar.Columnar(con, as_of=as_of, default=T)
        timings = {"sync": synced}
        counts = scan.select(timings=timings)
        started = time.perf_counter()
        built = scan.findings(raised="raised")
        timings["build"] = time.perf_counter() - started
        rounds.append(
            {
                "db_times": db_times,
                "db_counts": db_counts,
                "db_cpu": db_cpu,
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
                "timings": timings,
                "counts": counts,
                "changed": changed,
                "judged": scan.rf2_judged,
                "built": len(built),
                "load": os.getloadavg(),
            }
        )
    out["rounds"] = rounds
    out["sources"] = scan.sources()
    out["streams"] = con.execute(
        "SELECT count(DISTINCT party_k) + count(DISTINCT purpose_k) FROM matters"
    ).fetchone()[0]
    if args.build_all:
        wall, cpu = time.perf_counter(), time.process_time()
        out["built"] = len(scan.findings())
        out["build"] = (time.perf_counter() - wall, time.process_time() - cpu)
    con.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--matters", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--python-share", type=float, default=0.0, help="share of units the Python indicators judge (0: skip)"
    )
    parser.add_argument("--build-all", action="store_true", help="also build every finding (a first scan)")
    parser.add_argument(
        "--repeat", type=int, default=2, help="alternating rounds of both engines (best taken)"
    )
    args, _others = parser.parse_known_args()  # bench/run_all.py passes every benchmark the same arguments
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print(
            "duckdb is not installed (pip install duckdb): the synthetic data is generated with it; skipped"
        )
        return 0

    def load() -> str:
        one, five, fifteen = os.getloadavg()
        return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"

    print(f"machine: {os.cpu_count()} cores, {load()} (shared: other processes slow both engines alike)")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "risk.duckdb")
        made = generate(path, args.matters, args.units, args.years)
        print(
            f"data: {args.matters:,} matters, {args.units:,} units, {args.years} years, generated in {made:.1f} s"
        )

        col = run_columnar(path, os.path.join(tmp, "mirror.duckdb"), args)

        def la(avg: tuple[float, float, float]) -> str:
            return f"load average {avg[0]:.2f} {avg[1]:.2f} {avg[2]:.2f}"

        copy_wall, copy_cpu, copy_load = col["copy"]  # type: ignore[misc]
        print(
            f"mirror, first (full) load of yesterday's history into a DuckDB file: {copy_wall:.2f} s wall,"
            f" {copy_cpu:.2f} s CPU ({la(copy_load)})"
        )
        full_wall, full_cpu, full_t, full_load = col["full"]  # type: ignore[misc]
        print(
            f"first night, every rule over the whole mirror (RF2 over all {col['streams']:,} streams): "
            + ", ".join(f"{name} {sec:.2f} s" for name, sec in full_t.items())
            + f"; {full_wall:.2f} s wall, {full_cpu:.2f} s CPU ({la(full_load)})"
        )
        rounds: list[dict] = col["rounds"]  # type: ignore[assignment]
        for i, r in enumerate(rounds, 1):
            db_total = sum(r["db_times"].values())
            same = r["timings"]["RF2"] + r["timings"]["RF4"] + r["timings"]["RF9"]
            print(f"round {i} ({la(r['load'])}):")
            print(
                "  hand-written duckdb: "
                + ", ".join(
                    f"{rule} {sec:.2f} s ({r['db_counts'][rule]:,} findings)"
                    for rule, sec in r["db_times"].items()
                )
                + f"; RF2+RF4+RF9 {db_total:.2f} s wall, {r['db_cpu']:.2f} s CPU"
            )
            print(
                f"  night ({r['changed']:,} matters new or changed; RF2 judged {r['judged']:,} streams again,"
                f" built {r['built']:,} new findings): "
                + ", ".join(f"{name} {sec:.2f} s" for name, sec in r["timings"].items())
                + f"; sync + every rule + build {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU"
                f" (RF2+RF4+RF9 {same:.2f} s)"
            )
            print(
                f"  ratio night / hand-written (RF2, RF4, RF9): {r['wall'] / db_total:.2f}x wall,"
                f" {r['cpu'] / r['db_cpu']:.2f}x CPU; RF2+RF4+RF9 alone {same / db_total:.2f}x wall"
            )
        counts = rounds[-1]["counts"]
        print("columnar findings: " + ", ".join(f"{rule} {n:,}" for rule, n in counts.items()))
        best_db = min(sum(r["db_times"].values()) for r in rounds)
        best_db_cpu = min(r["db_cpu"] for r in rounds)
        wall = min(r["wall"] for r in rounds)
        best_cpu = min(r["cpu"] for r in rounds)
        print(
            f"best of {len(rounds)}: hand-written RF2+RF4+RF9 {best_db:.2f} s wall / {best_db_cpu:.2f} s CPU; "
            f"night (sync of the day + every rule: {', '.join(columnar.RULES)} + build of the new) {wall:.2f} s wall"
            f" / {best_cpu:.2f} s CPU"
        )
        print(
            f"ratio night / hand-written (best of each): {wall / best_db:.2f}x wall, {best_cpu / best_db_cpu:.2f}x CPU"
        )
        print(f"target: a full scan of 10,000,000 matters in 5 s; this run {wall:.1f} s for {args.matters:,}")
        if "build" in col:
            b_wall, b_cpu = col["build"]  # type: ignore[misc]
            print(
                f"columnar build of all {col['built']:,} findings (a first scan): {b_wall:.2f} s wall, {b_cpu:.2f} s CPU"
            )

        if args.python_share > 0:
            elapsed, py_counts, judged, fetch = run_python(path, args.units, args.workers, args.python_share)
            scale = args.matters / judged if judged else float("nan")
            full = elapsed * scale
            note = f" (judged {judged:,} matters; extrapolated ×{scale:.1f})" if scale > 1.001 else ""
            print(
                f"python indicators (all rules, {args.workers} processes): {elapsed:.1f} s for {judged:,} matters"
                f" → {full:.1f} s for {args.matters:,}{note}; DuckDB fetch into Python {fetch:.1f} s of it"
            )
            print(f"ratio python indicators / columnar scan: {full / wall:.1f}x")
            if scale <= 1.001:
                python_sources = {s for s in py_counts if s.startswith("scan:")}
                agree = python_sources == col["sources"]
                print(
                    f"agreement: {len(python_sources):,} python findings vs {len(col['sources']):,} columnar "  # type: ignore[arg-type]
                    f"({'the same sources' if agree else 'DIFFERENT'})"
                )
                if not agree:
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
