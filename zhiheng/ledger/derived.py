"""Checks of rows the log commits to but does not hold (issue 9 hole 10).

Some records live in domain tables and are also sealed into the log — a meeting's minutes are the
clearest case: statements, attendance and decisions are rows, and the log holds their digest. Verifying
the log alone cannot see an edit of those rows. A domain app registers a check here (in its
AppConfig.ready); `zhiheng ledger verify` runs every check once the log itself verifies, so one command
answers "has anything sealed changed?". The ledger imports no domain app: the apps come to it.

A check returns a list of problems (zh-Hans sentences, each naming the record); [] means intact.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], list[str]]

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    _checks[name] = check


def run_all() -> dict[str, list[str]]:
    """{check name: problems} for every registered check."""
    return {name: check() for name, check in sorted(_checks.items())}
