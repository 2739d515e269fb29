"""kill -9 proof of the monthly job (R-SUP-1, issue 14: "survives a crash mid-run"), on PostgreSQL.

Each trial runs `issue_month` for a fresh month over every unit in a forked child of crash_child.py (Django
set up once), SIGKILLs the child after a random delay spread over a whole run, then runs the job again to
the end, as the next day's run would. After every trial: one report per unit for the month — no duplicate,
none missing — each with exactly one "supervision.report_issued" entry whose digest is the report's, and
no entry without its report; at the end the whole ledger verifies.

Default: 5 trials; ZHIHENG_FULL_TRIALS=1 (CI) runs 100.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from zhiheng.ledger.models import Entry
from zhiheng.ledger.services.verifying import verify_all
from zhiheng.matters.tests.test_idempotency_crash import _database_url
from zhiheng.org.models import Unit
from zhiheng.org.tests.factories import MembershipFactory, PersonFactory, UnitFactory
from zhiheng.supervision import months
from zhiheng.supervision.models import MonthlyReport

TRIALS = 100 if os.environ.get("ZHIHENG_FULL_TRIALS") == "1" else 5
UNITS = 24

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Issuer:
    """The crash_child process: run(month, kill_after) forks a child running issue_month."""

    def __init__(self, log: Path) -> None:
        env = {
            **os.environ,
            "ZHIHENG_TEST_DATABASE_URL": _database_url(),
            "ZHIHENG_VAR_DIR": str(settings.VAR_DIR),
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
        }
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zhiheng.supervision.tests.crash_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            cwd=settings.BASE_DIR,
            text=True,
        )
        assert self._read() == "ready"

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the issuing process died: {self.log.name}")
        return json.loads(line)

    def run(self, month: dt.date, kill_after: float | None = None) -> bool:
        """One run of the job; True if it finished by itself (exit 0), False if it was killed."""
        self.proc.stdin.write(json.dumps({"month": months.code(month)}) + "\n")
        self.proc.stdin.flush()
        pid = self._read()["pid"]
        if kill_after is not None:
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # already finished (not yet reaped: same pid)
                os.kill(pid, signal.SIGKILL)
        answer = self._read()
        assert answer["exited"] == pid
        return answer["status"] == 0

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.log.close()


@pytest.fixture
def issuer(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "kill -9 proof runs on PostgreSQL, the production database; set ZHIHENG_TEST_DATABASE_URL"
        )
    s = Issuer(tmp_path / "issuer.log")
    yield s
    s.close()


def _units(world) -> None:
    """UNITS units besides the world's two, each with a principal and a deputy (a team to name)."""
    for i in range(UNITS - 2):
        unit = UnitFactory(code=f"t-crash-{i:02d}", name=f"断电局{i:02d}", district=world.district)
        for role in ("principal", "deputy"):
            person = PersonFactory(username=f"t-crash-{i:02d}-{role}")
            MembershipFactory(person=person, unit=unit, role=role, start=dt.date(2000, 1, 1))


def _check(month: dt.date, units: int) -> None:
    reports = MonthlyReport.objects.filter(month=month)
    assert reports.count() == units, f"{months.code(month)}: {reports.count()} of {units} units"
    assert not reports.values("unit").annotate(n=Count("pk")).filter(n__gt=1).exists()
    issued = Entry.objects.filter(
        event_type="supervision.report_issued", subject__endswith=f":{months.code(month)}"
    )
    assert issued.count() == units, f"{months.code(month)}: {issued.count()} entries for {units} reports"
    by_subject = {e.subject: json.loads(e.text)["payload"]["digest"] for e in issued}
    for report in reports.select_related("unit"):
        assert by_subject[report.subject] == report.digest
        assert report.ledger_index is not None


def test_kill_9_during_the_monthly_run_then_rerun_issues_each_unit_once(world, issuer):
    _units(world)
    units = Unit.objects.filter(is_active=True).count()
    warm = dt.date(2000, 1, 1)
    began = time.monotonic()
    assert issuer.run(warm)
    span = time.monotonic() - began
    _check(warm, units)
    rng = random.Random(os.environ.get("ZHIHENG_SEED", "kill-9-monthly"))
    seen = {"killed": 0, "finished": 0}
    began = time.monotonic()
    for trial in range(TRIALS):
        month = months.shift(dt.date(2001, 1, 1), trial)
        finished = issuer.run(month, kill_after=rng.uniform(0, span * 1.1))
        seen["finished" if finished else "killed"] += 1
        partial = MonthlyReport.objects.filter(month=month).count()
        assert partial <= units
        assert issuer.run(month)  # the next run finishes the job
        assert issuer.run(month)  # and a run after that changes nothing
        _check(month, units)
    report = verify_all()
    assert report.ok, report
    print(
        f"\nkill -9 monthly: {TRIALS} trials in {time.monotonic() - began:.1f}s, one run {span:.2f}s: {seen}"
    )
    assert seen["killed"] > 0, seen
