"""For the hypothesis state machines that prove an app's invariants over random sequences of actions by
every persona: each run inside one transaction rolled back at its end, with the clock frozen and moved only
by the machine's own rules, and one place that says how hard hypothesis tries."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from zhiheng.core import clock


class FrozenAndRolledBack(RuleBasedStateMachine):
    """A machine whose run begins at `begins_at` (set it on the subclass) inside a transaction that its
    teardown rolls back, so every run meets the same world."""

    begins_at: dt.datetime

    def __init__(self) -> None:
        super().__init__()
        self.stack = contextlib.ExitStack()
        self.stack.enter_context(clock.frozen(self.begins_at))
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def advance(self, by: dt.timedelta) -> None:
        """Time passes: the clock moves on for the rest of the run."""
        self.stack.enter_context(clock.frozen(clock.now() + by))

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.stack.close()


def run(machine: type[RuleBasedStateMachine], *, examples: int, steps: int) -> None:
    """Run the machine `examples` times, `steps` rules each, without deadlines or health checks (each step
    goes through the database) and without hypothesis's example database (the runs share no ids)."""
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
