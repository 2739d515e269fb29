"""Ledger test helpers: raw SQL on the ledger tables, past the append-only guard on purpose."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from zhiheng import ledger
from zhiheng.ledger import guard


def raw(sql: str, params=None):
    """Run raw SQL (the tamper trials' way in) with the guard lifted. `?` placeholders become %s."""
    with guard.allow_rewrite(), connection.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params or [])


def fill(n: int, *, unit: str = "t-unit", subject: str = "matter:1") -> None:
    for i in range(n):
        ledger.record("ledger.note", unit=unit, subject=subject, payload={"i": i, "文字": "记录"})


@pytest.fixture
def filled(db):
    fill(40)
    return 40


@pytest.fixture
def witness_log(tmp_path, settings):
    """This test's own witness log (the test settings switch the shared one off)."""
    settings.LEDGER_WITNESS_LOG = str(tmp_path / "witness.log")
    return tmp_path / "witness.log"


def run_command(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """`zhiheng ledger <args>` in this process, `stdin` fed to it: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin or "")):
        try:
            call_command("ledger", *args, stdout=out, stderr=err)
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def run_on_commit_callbacks() -> int:
    """Run the on-commit callbacks queued so far, as a commit would (and those they queue); how many ran.
    Works inside a test's transaction, like django_capture_on_commit_callbacks(execute=True)."""
    ran = 0
    while connection.run_on_commit:
        callbacks = list(connection.run_on_commit)
        del connection.run_on_commit[:]
        for _, callback, _ in callbacks:
            callback()
            ran += 1
    return ran


def pytest_terminal_summary(terminalreporter):
    """The tamper trials' counts, where CI sees them (also under -q and xdist: they travel as properties)."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "ledger_trials"
    ]
    if lines:
        terminalreporter.write_sep("-", "ledger tamper trials")
        for line in sorted(lines):
            terminalreporter.write_line(line)
