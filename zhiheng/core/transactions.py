"""Work that must happen once the caller's transaction is over, however it ended (issue 11).

`transaction.on_commit` runs work after a commit and drops it on a rollback. A few writes must outlive
a rollback of whatever transaction their caller happens to be in — the principal's refused attempt
(SPEC RF1) is the one today: the refusal usually unwinds the caller's transaction, and the trace of the
attempt must stay. `after_transaction(func)` runs `func` right after the outermost transaction on the
connection has ended, committed or rolled back, outside it and in autocommit mode; at once when no
transaction is open.

Django has no hook at the end of a transaction that fires on rollback, so the project's database
engines (`zhiheng.core.backends.sqlite3` and `.postgresql`) are Django's own with `AfterTransaction`
mixed in: it runs the queued work when the outermost atomic block hands the connection back to
autocommit (`set_autocommit(True)`, which Django calls after both COMMIT and ROLLBACK, after the
on-commit callbacks). config/settings.py puts every database on them (backends.with_hooks), and
`after_transaction` refuses a connection without the hook rather than run the work too early or never.

The work runs in the thread that ran the transaction, before control returns to the code after the
outermost `atomic` block, so that code already sees its effect. A failure is logged, never raised:
the transaction it follows is already over, and an exception there would replace the caller's own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

log = logging.getLogger(__name__)


class AfterTransaction(BaseDatabaseWrapper):
    """Mixed into the project's database wrappers: a queue of work run after the outermost transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_after_transaction: list[Callable[[], object]] = []
        self._connecting = False
        self._ending = False

    def connect(self) -> None:
        # Django turns autocommit on while it opens a connection, before the connection is set up: work
        # still queued then (a connection closed inside a transaction) waits for the next transaction's end.
        self._connecting = True
        try:
            super().connect()
        finally:
            self._connecting = False

    def set_autocommit(
        self, autocommit: bool, force_begin_transaction_with_broken_autocommit: bool = False
    ) -> None:
        # A transaction opened by an on-commit callback ends inside this call: its own end must not run
        # the queue before the remaining on-commit callbacks of the transaction that queued the work.
        nested, self._ending = self._ending, True
        try:
            super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)
        finally:
            self._ending = nested
        if autocommit and not nested and not self.in_atomic_block and not self._connecting:
            self.run_and_clear_after_transaction()

    def run_and_clear_after_transaction(self) -> None:
        while self.run_after_transaction:
            queued, self.run_after_transaction = self.run_after_transaction, []
            for func in queued:
                try:
                    func()
                except Exception:
                    log.exception("work queued to run after a transaction failed")


def supported(using: str = DEFAULT_DB_ALIAS) -> bool:
    return isinstance(connections[using], AfterTransaction)


def after_transaction(func: Callable[[], object], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run `func` once the outermost transaction on `using` has ended, committed or rolled back; at once
    if none is open. Like `on_commit`, but kept on a rollback — so `func` must tell for itself whether
    its work is still to do (see attempts.py)."""
    connection = connections[using]
    if not isinstance(connection, AfterTransaction):
        raise RuntimeError(
            f"DATABASES[{using!r}] must use a zhiheng.core.backends engine for after_transaction()"
        )
    if not connection.in_atomic_block:
        func()
        return
    connection.run_after_transaction.append(func)
