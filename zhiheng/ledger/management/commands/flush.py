"""Django's `flush`, able to empty the append-only ledger tables on SQLite.

Django's test runner (and pytest-django) flushes the database after every transactional test. On
SQLite flush is a DELETE per table, which the ledger's guard refuses; this override lifts the guard
for the flush only (guard.allow_rewrite). PostgreSQL flushes with TRUNCATE, which fires no row
trigger, so there it changes nothing. Because a project app's command overrides Django's command of
the same name, every `flush` — the test suite's included — goes through here.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from zhiheng.ledger import guard


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        if connections[database].vendor == "sqlite":
            guard.permit_flush()  # refuses in production: the ledger is never emptied there
            with guard.allow_rewrite(database):
                return super().handle(**options)
        return super().handle(**options)
