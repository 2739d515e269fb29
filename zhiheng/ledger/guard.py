"""The append-only guard: the database refuses UPDATE and DELETE of ledger rows (R-LED-1).

PostgreSQL: a BEFORE UPDATE OR DELETE row trigger on each table raises. TRUNCATE fires no row trigger,
so Django's test flush still works; truncating the log in production is caught by verification (the
log becomes shorter than a signed checkpoint) — and the application's role should not own the tables.

SQLite: BEFORE UPDATE / BEFORE DELETE triggers raise unless the SQL function
`zhiheng_ledger_rewrite_allowed()` returns 1. Zhiheng registers that function on every connection it
opens; it answers 1 only inside `allow_rewrite()`. A connection that does not know the function (the
sqlite3 shell, another program) fails closed: its UPDATE/DELETE errors with "no such function".

`allow_rewrite()` is the one deliberate way around the guard. The product never calls it; it exists
for Django's `flush` (tests reset the database between transactional tests — see
management/commands/flush.py) and for the tests' tamper trials, which rewrite history by raw SQL.
It works only where rewriting is permitted (`rewrites_permitted()`): in the test environment
(settings.ENVIRONMENT == "test"), or for `flush` outside production. With ZHIHENG_ENV=production it
raises, and the SQL function answers 0 whatever the thread-local says.

What this does not do (docs/ledger.md, "What an attacker with database access can do"): anyone who can
open the SQLite file — or run Python in this process — can drop the triggers or define the function
themselves. The guard stops bugs and casual edits; the witness log (witness.py) is what makes a
deliberate rewrite visible. `installed()` checks the triggers' exact text, so a trigger dropped or
replaced by a weaker one fails `zhiheng ledger verify` ("guard").
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint")
SQLITE_FUNCTION = "zhiheng_ledger_rewrite_allowed"

_state = threading.local()
_flush_permitted = False  # process-wide: set only by the flush command, outside production


def rewrites_permitted() -> bool:
    """May the guard be lifted in this process? In tests; for `flush` outside production; never in production."""
    from django.conf import settings

    environment = getattr(settings, "ENVIRONMENT", "production")
    if environment == "production":
        return False
    return environment == "test" or _flush_permitted


def permit_flush() -> None:
    """Called by the flush command only (outside production): it empties every table, the ledger's too."""
    global _flush_permitted
    from django.conf import settings

    if getattr(settings, "ENVIRONMENT", "production") == "production":
        raise PermissionError("R-LED-1: the ledger is never flushed in production")
    _flush_permitted = True


def _allowed() -> int:
    return 1 if getattr(_state, "allowed", 0) and rewrites_permitted() else 0


def register_sqlite_function(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """connection_created receiver: teach each new SQLite connection the guard's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _allowed)


def pg_sql() -> list[str]:
    statements = [
        """CREATE OR REPLACE FUNCTION ledger_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'R-LED-1: % of % refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
               USING ERRCODE = 'insufficient_privilege';
           END $$"""
    ]
    for table in TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse_rewrite()"
        )
    return statements


def pg_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in TABLES] + [
        "DROP FUNCTION IF EXISTS ledger_refuse_rewrite()"
    ]


def sqlite_sql() -> list[str]:
    statements = []
    for table in TABLES:
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"WHEN NOT {SQLITE_FUNCTION}() "
                f"BEGIN SELECT RAISE(ABORT, 'R-LED-1: {op} of {table} refused: the ledger is append-only'); END"
            )
    return statements


def sqlite_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in TABLES for op in ("update", "delete")]


def installed(using: str = "default") -> bool:
    """Are the guard's triggers present? (SQLite silently drops triggers when a migration remakes a
    table, so `zhiheng ledger verify` checks this too.)"""
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgname = ANY(%s) AND t.tgenabled <> 'D' AND p.proname = 'ledger_refuse_rewrite' "
                "AND p.prosrc LIKE '%%RAISE EXCEPTION%%'",
                [[f"{t}_append_only" for t in TABLES]],
            )
            count: int = cursor.fetchone()[0]
            return count == len(TABLES)
        if conn.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'")
            found = sorted(" ".join(row[0].split()) for row in cursor.fetchall())
            return found == sorted(" ".join(sql.split()) for sql in sqlite_sql())
    return False


@contextlib.contextmanager
def allow_rewrite(using: str = "default") -> Iterator[None]:
    """Lift the guard for the enclosed statements on this thread's connection. Tests and flush only.

    On PostgreSQL this disables the triggers inside a transaction (DDL is transactional, needs the
    table owner): if the block raises, the rollback restores them.
    """
    if not rewrites_permitted():
        raise PermissionError("R-LED-1: the ledger's append-only guard is never lifted in production")
    conn = connections[using]
    if conn.vendor == "postgresql":
        with transaction.atomic(using=using):
            with conn.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            yield
            with conn.cursor() as cursor:
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
        return
    previous = getattr(_state, "allowed", 0)
    _state.allowed = 1
    try:
        yield
    finally:
        _state.allowed = previous
