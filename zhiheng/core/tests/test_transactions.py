"""after_transaction (core/transactions.py): work that runs once the outermost transaction has ended,
committed or rolled back, after the on-commit callbacks; at once outside a transaction."""

import pytest
from django.db import connection, transaction

from zhiheng.core.transactions import after_transaction, supported

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_project_database_has_the_hook():
    assert supported()


def test_outside_a_transaction_it_runs_at_once():
    ran = []
    after_transaction(lambda: ran.append(connection.in_atomic_block))
    assert ran == [False]


@pytest.mark.parametrize("rolled_back", [False, True])
def test_it_runs_after_the_outermost_block_whichever_way_it_ended(rolled_back):
    ran = []
    with transaction.atomic():
        with transaction.atomic():
            after_transaction(lambda: ran.append(("after", connection.in_atomic_block)))
            transaction.on_commit(lambda: ran.append(("commit", connection.in_atomic_block)))
        assert ran == []
        transaction.set_rollback(rolled_back)
    assert ran == ([("after", False)] if rolled_back else [("commit", False), ("after", False)])


def test_a_failure_is_logged_and_the_next_work_still_runs(caplog):
    ran = []
    with transaction.atomic():
        after_transaction(lambda: 1 / 0)
        after_transaction(lambda: ran.append(1))
    assert ran == [1] and "failed" in caplog.text


def test_a_transaction_inside_an_on_commit_callback_does_not_run_the_queue_early():
    ran = []

    def callback_with_its_own_transaction():
        with transaction.atomic():
            ran.append("callback")

    with transaction.atomic():
        after_transaction(lambda: ran.append("after"))
        transaction.on_commit(callback_with_its_own_transaction)
        transaction.on_commit(lambda: ran.append("second callback"))
    assert ran == ["callback", "second callback", "after"]
