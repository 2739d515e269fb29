"""The demo, built once per test process and laid down again for each test that wants it.

Building the demo is the slowest thing the suite does (a minute on SQLite, three on PostgreSQL: every
matter, meeting and ledger entry goes through the services), and about fifteen tests or modules want a
fresh one. `restore_demo()` builds it the first time inside a savepoint, copies every table's rows, rolls
the build back, and from then on writes those rows into the database of whichever test asks — the same
rows with the same ids, so anything a process cached during the build (compiled queries, registries) is
still true. The copy is exact: PostgreSQL's own COPY text format, SQLite's native values.

A build depends on the day it runs (which months have reports, what is overdue), so tests that freeze the
clock get a snapshot of their own day (`today=`).

Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED), so the tables are
emptied and refilled in any order inside the caller's transaction; PostgreSQL's sequences are moved past
the restored ids afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from zhiheng.core import clock

SKIPPED = {"django_migrations"}


@dataclass
class Snapshot:
    tables: dict[str, Any]  # table → its rows (COPY text on PostgreSQL; (columns, rows) on SQLite)
    context: Any  # what builder.build() returned (DemoContext)


_snapshots: dict[dt.date | None, Snapshot] = {}


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in SKIPPED)


def _copy_out(table: str) -> Any:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                return b"".join(bytes(block) for block in copy)
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608  table names from the introspection
        return [c[0] for c in cursor.description], cursor.fetchall()


def _copy_in(table: str, rows: Any) -> None:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quoted}")  # noqa: S608
        if connection.vendor == "postgresql":
            if rows:
                with cursor.cursor.copy(f"COPY {quoted} FROM STDIN") as copy:
                    copy.write(rows)
            return
        columns, values = rows
        if values:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", values)  # noqa: S608


def _take(today: dt.date | None) -> Snapshot:
    from zhiheng.demo import builder

    with transaction.atomic():
        if today is None:
            context = builder.build()
        else:
            with clock.frozen(clock.at(today)):
                context = builder.build()
        snapshot = Snapshot({table: _copy_out(table) for table in _tables()}, context)
        transaction.set_rollback(True)
    return snapshot


def restore_demo(today: dt.date | None = None) -> Any:
    """Lay the demo down in the current test's database (inside its transaction); the build's context."""
    if today not in _snapshots:
        _snapshots[today] = _take(today)
    snapshot = _snapshots[today]
    # One transaction (a savepoint inside a test's own): the deferred foreign keys are checked once every
    # table is back, also for tests that run without a wrapping transaction (live-server browser tests).
    with transaction.atomic():
        for table, rows in snapshot.tables.items():
            _copy_in(table, rows)
        if connection.vendor == "postgresql":
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    return snapshot.context
