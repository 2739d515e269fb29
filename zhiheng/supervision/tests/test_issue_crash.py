"""kill -9 proof of the monthly job (R-SUP-1, issue 14: "survives a crash mid-run"), on PostgreSQL.

Each trial runs `issue_month` for a fresh month over every unit in a forked child of crash_child.py (Django
set up once), SIGKILLs the child after a random delay spread over a whole run, then runs the job again to
the end, as the next day's run would. After every trial: one report per unit for the month — no duplicate,
none missing — each with exactly one "supervision.report_issued" entry whose digest is the report's, and
no entry without its report; at the end the whole ledger verifies.

Default: 5 trials; ZHIHENG_FULL_TRIALS=1 (CI) runs 100.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time

import pytest
from django.db.models import Count

from zhiheng.core.tests.forking import ForkingServer, require_postgresql
from zhiheng.ledger.models import Entry
from zhiheng.ledger.services.verifying import verify_all
from zhiheng.org.models import Unit
from zhiheng.org.tests.factories import MembershipFactory, PersonFactory, UnitFactory
from zhiheng.supervision import months
from zhiheng.supervision.models import MonthlyReport

TRIALS = 100 if os.environ.get("ZHIHENG_FULL_TRIALS") == "1" else 5
UNITS = 24

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issuer(tmp_path):
    require_postgresql()
    s = ForkingServer("zhiheng.supervision.tests.crash_child", tmp_path / "issuer.log")
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
    assert issuer.run({"month": months.code(warm)})
    span = time.monotonic() - began
    _check(warm, units)
    rng = random.Random(os.environ.get("ZHIHENG_SEED", "kill-9-monthly"))
    seen = {"killed": 0, "finished": 0}
    began = time.monotonic()
    for trial in range(TRIALS):
        month = months.shift(dt.date(2001, 1, 1), trial)
        finished = issuer.run({"month": months.code(month)}, kill_after=rng.uniform(0, span * 1.1))
        seen["finished" if finished else "killed"] += 1
        partial = MonthlyReport.objects.filter(month=month).count()
        assert partial <= units
        assert issuer.run({"month": months.code(month)})  # the next run finishes the job
        assert issuer.run({"month": months.code(month)})  # and a run after that changes nothing
        _check(month, units)
    report = verify_all()
    assert report.ok, report
    print(
        f"\nkill -9 monthly: {TRIALS} trials in {time.monotonic() - began:.1f}s, one run {span:.2f}s: {seen}"
    )
    assert seen["killed"] > 0, seen
