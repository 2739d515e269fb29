"""append / issue_checkpoint / proofs / verification through the services, with the database."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from zhiheng import ledger
from zhiheng.core.errors import Conflict, Invalid
from zhiheng.ledger import canonical, guard, merkle, selectors, services
from zhiheng.ledger.models import Checkpoint, Entry, Head, Node

from .conftest import fill, raw

pytestmark = pytest.mark.django_db


def test_record_appends_canonical_self_indexed_entries():
    first = ledger.record("ledger.note", unit="u", subject="matter:9", payload={"b": 2, "a": "甲"})
    second = ledger.record("ledger.note")
    assert (first.index, second.index) == (0, 1)
    body = json.loads(first.text)
    assert body == {
        "index": 0,
        "payload": {"a": "甲", "b": 2},
        "subject": "matter:9",
        "time": body["time"],
        "type": "ledger.note",
        "unit": "u",
        "v": 1,
        "who": "",
    }
    assert first.text.startswith('{"index":0,"payload":{"a":"甲","b":2}')
    assert canonical.canonical_bytes(body) == bytes(first.data)
    assert bytes(first.leaf_hash) == merkle.leaf_hash(bytes(first.data))
    assert body["time"].endswith("+08:00")


def test_record_names_the_actor(world):
    entry = ledger.record("ledger.note", by=world.admin)
    assert entry.actor == "t-admin" and json.loads(entry.text)["who"] == "t-admin"


def test_unregistered_codes_are_refused():
    with pytest.raises(LookupError):
        ledger.record("no.such.event")
    assert Entry.objects.count() == 0


def test_a_rolled_back_transaction_consumes_no_index():
    ledger.record("ledger.note")
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.record("ledger.note")
        raise RuntimeError
    assert ledger.record("ledger.note").index == 1
    assert Head.objects.get().size == 2


def test_head_frontier_and_stored_nodes_give_the_root():
    fill(37)
    head = Head.objects.get()
    assert head.size == 37
    assert Node.objects.count() == 37 - bin(37).count("1")
    assert merkle.fold(merkle.unpack_frontier(bytes(head.frontier))) == selectors.root_at(37)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET unit = 'x'",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_node SET hash = hash",
        "DELETE FROM ledger_node",
        "UPDATE ledger_checkpoint SET size = 0",
        "DELETE FROM ledger_checkpoint",
    ],
)
def test_the_database_refuses_rewriting_history(sql):
    fill(5)
    services.issue_checkpoint()
    with pytest.raises(DatabaseError, match="R-LED-1"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(index=1).update(unit="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.all().delete()
    assert Entry.objects.count() == 5 and guard.installed()


def test_allow_rewrite_is_the_deliberate_way_around():
    fill(3)
    raw("UPDATE ledger_entry SET unit = ? WHERE subject = ?", ["y", "matter:1"])
    assert set(Entry.objects.values_list("unit", flat=True)) == {"y"}
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM ledger_entry")


def test_checkpoints_sign_the_current_tree_and_chain_consistently():
    fill(10)
    a = services.issue_checkpoint(reason="meeting-closed")
    fill(7)
    b = services.issue_checkpoint(reason="hourly")
    assert (a.size, b.size) == (10, 17)
    assert bytes(b.root) == selectors.root_at(17)
    assert services.signature_ok(selectors.checkpoint_row(b))
    proof = selectors.consistency_proof(10, 17)
    assert merkle.verify_consistency(10, 17, bytes(a.root), bytes(b.root), proof)
    assert a.reason == "meeting-closed"


def test_a_checkpoint_is_refused_when_the_log_no_longer_matches_the_previous_one():
    fill(10)
    services.issue_checkpoint()
    raw("UPDATE ledger_checkpoint SET root = ?", [b"\x00" * 32])
    with pytest.raises(Conflict) as err:
        services.issue_checkpoint()
    assert err.value.rule == "R-LED-4"
    assert Checkpoint.objects.count() == 1


def test_proof_parameters_are_checked():
    fill(5)
    with pytest.raises(Invalid) as err:
        selectors.inclusion_proof(5, 5)
    assert err.value.rule == "R-LED-3"
    with pytest.raises(Invalid):
        selectors.inclusion_proof(0, 6)
    with pytest.raises(Invalid):
        selectors.consistency_proof(4, 3)
    with pytest.raises(Invalid):
        selectors.consistency_proof(1, 6)


def test_proofs_read_a_bounded_number_of_rows(django_assert_max_num_queries):
    fill(100)
    with django_assert_max_num_queries(3):
        proof = selectors.inclusion_proof(42, 100)
    root = selectors.root_at(100)
    leaf = bytes(Entry.objects.get(index=42).leaf_hash)
    assert merkle.verify_inclusion(42, 100, leaf, proof, root)


def test_verification_passes_and_is_stored():
    fill(20)
    services.issue_checkpoint()
    run = services.run_verification()
    assert run.ok and run.entries == 20 and run.checkpoints == 1
    assert "20 entries" in run.message


def test_head_is_created_on_first_use_after_a_flush():
    Head.objects.all().delete()
    assert ledger.record("ledger.note").index == 0


def test_issue_checkpoint_task_runs_eagerly():
    from zhiheng.ledger.tasks import issue_checkpoint

    fill(3)
    cp_id = issue_checkpoint.delay().get()
    assert Checkpoint.objects.get(pk=cp_id).size == 3


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_flush_the_guarded_tables_a():
    """Two transactional tests in a row: the flush between them empties the append-only tables
    (management/commands/flush.py lifts the guard on SQLite; PostgreSQL TRUNCATEs)."""
    fill(3)
    services.issue_checkpoint()
    assert Entry.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_flush_the_guarded_tables_b():
    assert Entry.objects.count() == 0 and Checkpoint.objects.count() == 0
    assert ledger.record("ledger.note").index == 0
    assert guard.installed()
