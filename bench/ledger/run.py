"""Ledger benchmark: append throughput (SQLite, PostgreSQL), 16 concurrent writer processes inline vs
batched (issue 12), full verification of 1M entries against plain hashlib over the same bytes, and
inclusion-proof latency at 1M entries.

    .venv/bin/python bench/ledger/run.py [--entries 1000000] [--appends 2000 (0: skip)]
                                         [--postgres postgres://postgres@127.0.0.1:5432/zh_ledger_bench]
                                         [--writers 16] [--per-writer 300]

Concurrent writers (PostgreSQL): 16 processes, started and set up first, then released together; each
calls ledger.record() in its own transaction per entry, on its own unit, per-writer times. Run once with
LEDGER_SEQUENCING=inline (the head locked until commit) and once batched (a pending row; the recording
process integrates after its commit), on the same database in the same run. Prints durable entries/s
(committed, counted at the end), the ratio, and for batched the commit-to-in-the-tree latency (p50/p99:
from the commit to the end of the after-commit integration that put the entry in the tree).

Appends go through ledger.record() (one transaction each), on a fresh database per vendor. The 1M-entry
log is bulk-loaded into a fresh SQLite file: synthetic canonical entries, their leaf hashes and every
subtree hash computed with merkle.append_leaf — exactly what record() stores — inserted with
executemany, plus the head row and one signed checkpoint. Verification loads the rows with
selectors.load_everything() (timed separately) and runs verification.verify_log() with the worker count
`zhiheng ledger verify` uses (services.verify_workers) and again in one process; the baseline is
hashlib.sha256 over the same entry bytes in the same process, on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 7


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["ZHIHENG_DATABASE_URL"] = database_url
    os.environ.setdefault("ZHIHENG_VAR_DIR", tempfile.mkdtemp(prefix="zh-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def stage_append(database_url: str, n: int) -> dict:
    setup_django(database_url)
    from django.db import connection, transaction

    from zhiheng import ledger

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            ledger.record("ledger.note", unit="bench", subject=f"matter:{i}", payload={"i": i})
    elapsed = time.perf_counter() - start
    from zhiheng.ledger.services import sequencing

    return {
        "vendor": connection.vendor,
        "appends": n,
        "seconds": elapsed,
        "per_second": n / elapsed,
        "mode": sequencing.mode(),
    }


def stage_writer(database_url: str, n: int) -> dict:
    """One of the concurrent writers: set up, print "ready", wait for "go" on stdin, record n entries."""
    os.environ["ZHIHENG_DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.db import connection, transaction

    from zhiheng import ledger

    unit = os.environ["BENCH_UNIT"]
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    latencies = []
    start = time.perf_counter()
    for i in range(n):
        committed = [0.0]
        with transaction.atomic():
            transaction.on_commit(lambda c=committed: c.__setitem__(0, time.perf_counter()))
            ledger.record("ledger.note", unit=unit, subject=f"matter:{i}", payload={"i": i})
        latencies.append(time.perf_counter() - committed[0])  # after the integration hook returned
    end = time.perf_counter()
    return {"start": start, "end": end, "n": n, "latencies": latencies}


def stage_integrator(database_url: str, n: int) -> dict:
    """The dedicated integrator process (LEDGER_INTEGRATE_AFTER_COMMIT off): integrate every 50 ms until
    told to stop on stdin; per batch, the age of the oldest entry it took when it finished (an upper bound
    of commit→in tree, since an entry is recorded just before its commit)."""
    import select

    os.environ["ZHIHENG_DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from zhiheng.core import clock
    from zhiheng.ledger.models import Pending
    from zhiheng.ledger.services import sequencing

    print("ready", flush=True)
    ages = []
    while not select.select([sys.stdin], [], [], 0.05)[0]:
        oldest = Pending.objects.order_by("recorded_at").values_list("recorded_at", flat=True).first()
        if sequencing.integrate_all() and oldest is not None:
            ages.append((clock.now() - oldest).total_seconds())
    sequencing.integrate_all()
    return {"ages": ages}


def concurrent_writers(url: str, mode: str, writers: int, per_writer: int, env: dict) -> dict:
    sys.path.insert(0, str(ROOT))
    from bench import stages

    integrator = None
    env = {**env, "ZHIHENG_LEDGER_SEQUENCING": mode.split()[0], "ZHIHENG_DB_CONN_MAX_AGE": "0"}
    if mode == "batched integrator":  # writers only insert; one process integrates every 50 ms
        env["ZHIHENG_LEDGER_INTEGRATE_AFTER_COMMIT"] = "0"
        integrator = stages.start(__file__, ["--stage", "integrator", "--db", url, "--n", "0"], env)
    procs = stages.wait_ready(
        [
            stages.spawn(
                __file__,
                ["--stage", "writer", "--db", url, "--n", str(per_writer)],
                {**env, "BENCH_UNIT": f"bench-{w}"},
            )
            for w in range(writers)
        ]
    )
    results = stages.release_and_collect(procs, f"writer ({mode})")
    # perf_counter is CLOCK_MONOTONIC: comparable across processes on one machine
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    total = sum(r["n"] for r in results)
    lat = sorted(x for r in results for x in r["latencies"])
    if integrator is not None:
        out, _ = integrator.communicate("stop\n")
        lat = sorted(json.loads(out.strip().splitlines()[-1])["ages"]) or [0.0]
    return {
        "mode": mode,
        "entries": total,
        "seconds": elapsed,
        "per_second": total / elapsed,
        "p50_ms": lat[len(lat) // 2] * 1000,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
    }


def stage_check(database_url: str, n: int) -> dict:
    """After the writers: everything integrated (a sweep first), indices 0..size-1, verification passes."""
    setup_django(database_url)
    from zhiheng.ledger import selectors, services
    from zhiheng.ledger.models import Entry
    from zhiheng.ledger.services import sequencing

    swept = sequencing.integrate_all()
    size = selectors.tree_size()
    contiguous = Entry.objects.count() == size and (
        Entry.objects.order_by("-index").values_list("index", flat=True).first() == size - 1
    )
    report = services.verify_all()
    return {
        "size": size,
        "swept": swept,
        "contiguous": contiguous,
        "verified": report.ok,
        "report": str(report),
    }


def synthetic(i: int) -> bytes:
    from zhiheng.ledger.canonical import canonical_bytes, entry_body

    return canonical_bytes(
        entry_body(
            index=i,
            event_type="matter.approved",
            who=f"deputy-{i % 97}",
            unit=f"unit-{i % 211}",
            subject=f"matter:{i}",
            time=f"2026-03-{1 + i % 28:02d}T09:{i % 60:02d}:00.{i % 999999:06d}+08:00",
            payload={
                "amount": f"{(i * 7919) % 1000000}.00",
                "comment": "同意",
                "budget_line": f"BL-{i % 50}",
            },
        )
    )


def stage_verify(database_url: str, n: int) -> dict:
    setup_django(database_url)
    import hashlib

    from django.db import connection, transaction

    from zhiheng.ledger import merkle, selectors, services, verification

    t0 = time.perf_counter()
    frontier: list[bytes] = []
    entry_rows, node_rows = [], []
    for i in range(n):
        data = synthetic(i)
        leaf = merkle.leaf_hash(data)
        frontier, done = merkle.append_leaf(i, frontier, leaf)
        entry_rows.append(
            (i, "matter.approved", f"unit-{i % 211}", f"matter:{i}", "d", "2026-03-01 01:00:00", data, leaf)
        )
        node_rows.extend((merkle.pack_key(lv, j), h) for lv, j, h in done)
    with transaction.atomic(), connection.cursor() as c:
        c.executemany(
            'INSERT INTO ledger_entry ("index", event_type, unit, subject, actor, recorded_at, data, leaf_hash) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            entry_rows,
        )
        c.executemany("INSERT INTO ledger_node (key, hash) VALUES (%s, %s)", node_rows)
        c.execute(
            "INSERT INTO ledger_head (id, size, frontier) VALUES (1, %s, %s)",
            [n, merkle.pack_frontier(frontier)],
        )
    del entry_rows, node_rows
    services.issue_checkpoint(reason="bench")
    load_seconds_build = time.perf_counter() - t0

    t0 = time.perf_counter()
    loaded = selectors.load_everything()
    load_seconds = time.perf_counter() - t0
    datas = loaded["datas"]
    total_bytes = sum(map(len, datas))

    def baseline() -> float:
        # one core, plain hashlib over the same entry bytes; the faster of a loop and a C-level map
        sha, digest = hashlib.sha256, type(hashlib.sha256()).digest
        t = time.perf_counter()
        [sha(d).digest() for d in datas]
        loop = time.perf_counter() - t
        t = time.perf_counter()
        list(map(digest, map(sha, datas)))
        return min(loop, time.perf_counter() - t)

    workers = services.verify_workers(n)  # what `zhiheng ledger verify` uses on this machine
    check_signatures = services.signature_checker()

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    cpu_seconds: dict[int, float] = {}

    def verify(processes: int) -> float:
        c, t = cpu(), time.perf_counter()
        report = verification.verify_log(**loaded, signature_ok=check_signatures, workers=processes)
        elapsed = time.perf_counter() - t
        time.sleep(0.5)  # untimed: children are reaped in the background; their CPU counts once reaped
        cpu_seconds[processes] = min(cpu_seconds.get(processes, 1e9), cpu() - c)
        assert report.ok, str(report)
        assert report.extra["workers"] == processes, report.extra
        return elapsed

    load_before = os.getloadavg()[0]
    runs_base, runs_verify, runs_single = [], [], []
    for _ in range(ROUNDS):  # interleaved, best of ROUNDS each (the machine is shared)
        runs_base.append(baseline())
        runs_verify.append(verify(workers))
        runs_single.append(verify(1))
    base, ver, single = min(runs_base), min(runs_verify), min(runs_single)
    load_after = os.getloadavg()[0]

    # end to end, as the command runs it: load every row, verify, store the run
    t0 = time.perf_counter()
    run = services.run_verification()
    command_seconds = time.perf_counter() - t0
    assert run.ok, run.message

    rng = random.Random(1)
    latencies = []
    for _ in range(1000):
        index = rng.randrange(n)
        t = time.perf_counter()
        proof = selectors.inclusion_proof(index, n)
        latencies.append(time.perf_counter() - t)
        assert len(proof) <= 2 * n.bit_length()
    latencies.sort()
    return {
        "entries": n,
        "entry_bytes": total_bytes,
        "bulk_load_seconds": load_seconds_build,
        "load_rows_seconds": load_seconds,
        "hashlib_seconds": base,
        "verify_seconds": ver,
        "single_seconds": single,
        "verify_cpu_seconds": cpu_seconds[workers],
        "single_cpu_seconds": cpu_seconds[1],
        "workers": workers,
        "hashlib_entries_per_second": n / base,
        "verify_entries_per_second": n / ver,
        "single_entries_per_second": n / single,
        "ratio": base / ver,
        "single_ratio": base / single,
        "command_seconds": command_seconds,
        "load": (load_before, load_after),
        "proof_ms_median": statistics.median(latencies) * 1000,
        "proof_ms_p99": latencies[int(len(latencies) * 0.99)] * 1000,
    }


def fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def sub(stage: str, url: str, n: int, env: dict | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--db", url, "--n", str(n)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    if done.returncode:
        raise SystemExit(f"stage {stage} on {url} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--postgres", default=os.environ.get("LEDGER_BENCH_POSTGRES", ""))
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--per-writer", type=int, default=300)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stages = {
            "append": stage_append,
            "verify": stage_verify,
            "writer": stage_writer,
            "check": stage_check,
            "integrator": stage_integrator,
        }
        print(json.dumps(stages[args.stage](args.db, args.n)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="zh-ledger-bench-"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for label, url in [("SQLite", f"sqlite:///{tmp / 'append.sqlite3'}"), ("PostgreSQL", args.postgres)]:
        if not url or not args.appends:
            print(f"append  {label:<10}  skipped (pass --postgres URL and --appends > 0)")
            continue
        if label == "PostgreSQL":
            fresh_postgres(url)
        r = sub("append", url, args.appends)
        print(
            f"append  {label:<10}  {r['appends']} appends (one transaction each, {r['mode']}) in {r['seconds']:.2f} s "
            f"= {r['per_second']:.0f} appends/s"
        )
    if args.postgres and args.writers and args.per_writer:
        fresh_postgres(args.postgres)
        env = {**os.environ, "ZHIHENG_VAR_DIR": str(tmp / "writers")}  # one key and witness log for them
        sub("check", args.postgres, 0, env)  # migrate once, before the writers start
        runs = {}
        for mode in ("inline", "batched", "batched integrator"):
            r = runs[mode] = concurrent_writers(args.postgres, mode, args.writers, args.per_writer, env)
            after = ""
            if mode == "batched":
                after = f", commit→in tree p50 {r['p50_ms']:.1f} ms p99 {r['p99_ms']:.1f} ms"
            elif mode != "inline":
                after = f", oldest entry of a batch when in the tree p50 {r['p50_ms']:.1f} ms p99 {r['p99_ms']:.1f} ms"
            print(
                f"writers {args.writers} processes × {args.per_writer} record() on {args.writers} units, "
                f"{mode:<18}: {r['entries']} durable entries in {r['seconds']:.2f} s = {r['per_second']:.0f}/s{after}"
            )
        c = sub("check", args.postgres, 0, env)
        inline = runs["inline"]["per_second"]
        print(
            f"writers batched/inline = {runs['batched']['per_second'] / inline:.2f}x, "
            f"batched with an integrator process/inline = {runs['batched integrator']['per_second'] / inline:.2f}x; "
            f"log of {c['size']} entries: swept {c['swept']} left pending, contiguous {c['contiguous']}, "
            f"verified {c['verified']}" + ("" if c["verified"] else f" ({c['report']})")
        )
    else:
        print("writers skipped (pass --postgres URL)")
    r = sub("verify", f"sqlite:///{tmp / 'verify.sqlite3'}", args.entries)
    print(
        f"verify  {r['entries']:,} entries ({r['entry_bytes'] / 1e6:.0f} MB), bulk-loaded in {r['bulk_load_seconds']:.1f} s; "
        f"rows read in {r['load_rows_seconds']:.2f} s"
    )
    print(
        f"verify  hashlib.sha256 over the entry bytes, one core: {r['hashlib_seconds']:.3f} s "
        f"= {r['hashlib_entries_per_second'] / 1e6:.2f} M entries/s"
    )
    what = f"leaves, {r['entries'] - 1:,} nodes, indices, stored hashes, checkpoint"
    print(
        f"verify  full verification ({what}), {r['workers']} worker processes: "
        f"{r['verify_seconds']:.3f} s = {r['verify_entries_per_second'] / 1e6:.2f} M entries/s "
        f"(CPU {r['verify_cpu_seconds']:.2f} s, all processes)"
    )
    print(
        f"verify  full verification, 1 process: {r['single_seconds']:.3f} s "
        f"= {r['single_entries_per_second'] / 1e6:.2f} M entries/s (CPU {r['single_cpu_seconds']:.2f} s)"
    )
    print(
        f"verify  ratio verification/hashlib throughput = {r['ratio']:.2f} with {r['workers']} processes, "
        f"{r['single_ratio']:.2f} with 1 (best of {ROUNDS} interleaved runs each; 1-min load average "
        f"{r['load'][0]:.1f} before, {r['load'][1]:.1f} after, on {os.cpu_count()} cores)"
    )
    print(
        f"verify  `zhiheng ledger verify` end to end (read rows + verify + store the run): "
        f"{r['command_seconds']:.2f} s"
    )
    print(
        f"proof   inclusion proof at {r['entries']:,} entries: median {r['proof_ms_median']:.2f} ms, "
        f"p99 {r['proof_ms_p99']:.2f} ms (1000 random indices, SQLite)"
    )


if __name__ == "__main__":
    main()
