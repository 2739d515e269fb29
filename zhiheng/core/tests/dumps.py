"""A full text dump of the test database — what a backup, a replica or a DBA would read — for the tests that
prove sealed data holds no plaintext (R-GATE-2, R-SUP-3). Blobs come out as hex (SQLite's iterdump) or as
PostgreSQL's bytea text; callers grep for the hex of sealed files too."""

from __future__ import annotations

from django.db import connection


def database_dump() -> str:
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    with connection.cursor() as cursor:  # every column of every table, as text
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        out = []
        for table in tables:
            out.append(f"-- {table}")  # as pg_dump names each table before its rows
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608  table names from the catalogue
            out += [row[0] for row in cursor.fetchall()]
    return "\n".join(out)
