"""The database triggers that keep sealed minutes sealed: UPDATE and DELETE of a sealed meeting's rows
are refused (R-MTG-7, issue 9 hole 10), as the ledger's rows are (zhiheng/ledger/guard.py, whose switch
this reuses). Installed by migration 0006; minutes.py checks the rows against the ledger.

Guarded: the meeting row once sealed; its items, attendance, statements, candidates and
recommendations; corrections always (a correction is itself a dated record). Rows of open meetings are
the close's to write. PostgreSQL: a BEFORE UPDATE OR DELETE row trigger per table looks up the meeting's
state. SQLite: triggers with the same condition that also consult the ledger guard's SQL function, so
`ledger.guard.allow_rewrite()` (flush, the tamper trials) is the one way around on both.

SQLite drops a table's triggers when a migration remakes the table: a later migration that alters one
of these tables must run `sqlite_sql()` again; `installed()` lets verification notice a missing one.
"""

from __future__ import annotations

from django.db import connections

from zhiheng.ledger.guard import SQLITE_FUNCTION

_ITEM_STATE = (
    "(SELECT m.state FROM meetings_meeting m JOIN meetings_item i ON i.meeting_id = m.id WHERE i.id = {})"
)
# table → SQL giving the state of the meeting the OLD row belongs to
SEALED_STATE = {
    "meetings_meeting": "OLD.state",
    "meetings_item": "(SELECT state FROM meetings_meeting WHERE id = OLD.meeting_id)",
    "meetings_attendance": "(SELECT state FROM meetings_meeting WHERE id = OLD.meeting_id)",
    "meetings_statement": _ITEM_STATE.format("OLD.item_id"),
    "meetings_candidate": _ITEM_STATE.format("OLD.item_id"),
    "meetings_recommendation": _ITEM_STATE.format(
        "(SELECT item_id FROM meetings_candidate WHERE id = OLD.candidate_id)"
    ),
    "meetings_correction": "'sealed'",
}
MESSAGE = "R-MTG-7: sealed minutes are never edited"


def pg_sql() -> list[str]:
    statements = []
    for table, state in SEALED_STATE.items():
        statements += [
            f"""CREATE OR REPLACE FUNCTION {table}_sealed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN
                 IF {state} = 'sealed' THEN
                   RAISE EXCEPTION '{MESSAGE} (% of %)', TG_OP, TG_TABLE_NAME
                     USING ERRCODE = 'insufficient_privilege';
                 END IF;
                 IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                 RETURN NEW;
               END $$""",
            f"CREATE TRIGGER {table}_sealed BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_sealed_guard()",
        ]
    return statements


def pg_drop_sql() -> list[str]:
    return [
        sql
        for table in SEALED_STATE
        for sql in (
            f"DROP TRIGGER IF EXISTS {table}_sealed ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_sealed_guard()",
        )
    ]


def sqlite_sql() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_sealed_no_{op.lower()} BEFORE {op} ON {table} "
        f"WHEN {state} = 'sealed' AND NOT {SQLITE_FUNCTION}() "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({op} of {table})'); END"
        for table, state in SEALED_STATE.items()
        for op in ("UPDATE", "DELETE")
    ]


def sqlite_drop_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {t}_sealed_no_{op}" for t in SEALED_STATE for op in ("update", "delete")]


def installed(using: str = "default") -> bool:
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND tgenabled <> 'D'",
                [[f"{t}_sealed" for t in SEALED_STATE]],
            )
            expected = len(SEALED_STATE)
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'meetings_%_sealed_no_%'"
            )
            expected = 2 * len(SEALED_STATE)
        (count,) = cursor.fetchone() or (0,)
        return int(count) == expected
