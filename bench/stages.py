"""Benchmark stages in their own processes, started together (shared by bench/ledger and bench/matters).

A stage is the benchmark script itself run with `--stage …`: it sets up, prints "ready", waits for "go"
on stdin, does its work and prints one JSON line last. Releasing every stage only once all are ready keeps
start-up (Django, connections) out of the measured time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def spawn(script: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `script --stage …` (without waiting: many stages start up in parallel)."""
    return subprocess.Popen(
        [sys.executable, script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def wait_ready(procs: list[subprocess.Popen[str]]) -> list[subprocess.Popen[str]]:
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return procs


def start(script: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start one stage and wait until it says it is ready."""
    return wait_ready([spawn(script, args, env)])[0]


def release_and_collect(procs: list[subprocess.Popen[str]], what: str) -> list[dict[str, Any]]:
    """Say "go" to every stage at once, then read each one's last JSON line; a failed stage ends the run."""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            raise SystemExit(f"{what} failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results
