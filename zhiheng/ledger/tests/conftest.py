"""Ledger test helpers: raw SQL on the ledger tables, past the append-only guard on purpose."""

from __future__ import annotations

import pytest
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
