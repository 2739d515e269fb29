"""Batched sequencing (issue 12, decision 0017): durable pending rows, integrated in batches.

These run on either database with real commits (transaction=True): the entry commits or rolls back with
the domain change, integration gives consecutive indices exactly once, the bytes are what an inline
append writes, and everything after the integration (dispatch, checkpoints, anchors) waits for it.
"""

from __future__ import annotations

import json
import random

import pytest
from django.db import transaction
from django.test import override_settings

from zhiheng import ledger
from zhiheng.core import clock
from zhiheng.ledger import canonical, dispatch, merkle, selectors, services
from zhiheng.ledger.models import Checkpoint, Entry, Head, Pending
from zhiheng.ledger.services import sequencing

from .conftest import run_command

pytestmark = pytest.mark.django_db(transaction=True)

batched = override_settings(LEDGER_SEQUENCING="batched")


def indices() -> list[int]:
    return list(Entry.objects.order_by("index").values_list("index", flat=True))


@pytest.fixture
def no_trigger(monkeypatch):
    """The after-commit integration switched off: what a crash between commit and integration leaves."""
    monkeypatch.setattr(sequencing, "integrate_quietly", lambda *args: None)


@batched
def test_an_entry_is_pending_inside_its_transaction_and_in_the_tree_once_committed():
    with transaction.atomic():
        entry = ledger.record("ledger.note", unit="u1", subject="matter:1", payload={"文字": "同意"})
        assert entry.index is None and entry.pending is not None  # 待入账: no index yet
        assert Head.objects.filter(size__gt=0).count() == 0  # no shared lock, nothing in the tree
        assert Pending.objects.filter(pk=entry.pending).exists()
    assert Pending.objects.count() == 0
    stored = Entry.objects.get(pending=entry.pending)
    assert stored.index == 0 and selectors.tree_size() == 1
    assert selectors.integrated_index(entry.pending) == 0
    body = json.loads(stored.text)
    assert body == canonical.entry_body(
        index=0,
        event_type="ledger.note",
        who="",
        unit="u1",
        subject="matter:1",
        time=entry.recorded_at.astimezone(clock.SHANGHAI).isoformat(timespec="microseconds"),
        payload={"文字": "同意"},
    )
    assert bytes(stored.data) == canonical.canonical_bytes(body)  # exactly the inline format
    assert bytes(stored.leaf_hash) == merkle.leaf_hash(bytes(stored.data))
    assert services.verify_all().ok


@batched
def test_a_rolled_back_domain_change_leaves_no_entry_and_consumes_no_index():
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.record("ledger.note", payload={"n": 1})
        raise RuntimeError("the domain change fails")
    assert Pending.objects.count() == 0 and indices() == []
    ledger.record("ledger.note", payload={"n": 2})  # outside a transaction: integrated at once
    assert indices() == [0]
    assert json.loads(Entry.objects.get().text)["payload"] == {"n": 2}


@batched
def test_random_interleavings_of_commits_rollbacks_and_integrations_make_one_log(no_trigger):
    rng = random.Random(12)
    committed: list[int] = []
    for step in range(300):
        roll = rng.random()
        if roll < 0.55:
            with transaction.atomic():
                committed.append(ledger.record("ledger.note", payload={"step": step}).pending)
        elif roll < 0.7:
            with pytest.raises(RuntimeError), transaction.atomic():
                ledger.record("ledger.note", payload={"step": step})
                raise RuntimeError
        else:
            sequencing.integrate(limit=rng.randint(1, 7))
            assert indices() == list(range(selectors.tree_size()))  # never a gap
    sequencing.integrate_all()
    assert Pending.objects.count() == 0
    assert indices() == list(range(len(committed)))
    by_pending = dict(Entry.objects.values_list("pending", "index"))
    assert sorted(by_pending) == sorted(committed)  # each committed entry once, none rolled back
    # integrated in pending-id order: the steps read back in the order they were recorded
    steps = [json.loads(bytes(d))["payload"]["step"] for d in Entry.objects.values_list("data", flat=True)]
    assert steps == sorted(steps)
    assert services.verify_all().ok


@batched
def test_a_crash_between_commit_and_integration_is_healed_by_the_sweep(no_trigger):
    with transaction.atomic():
        first = ledger.record("ledger.note", payload={"n": 1})
    assert Pending.objects.count() == 1 and indices() == []  # committed, 待入账
    code, out, _ = run_command("integrate")
    assert code == 0 and "integrated 1" in out
    assert selectors.integrated_index(first.pending) == 0
    assert run_command("integrate")[1].startswith("integrated 0")  # idempotent: nothing twice
    assert indices() == [0]


@batched
def test_the_next_write_integrates_what_a_crash_left_behind(monkeypatch):
    monkeypatch.setattr(sequencing, "integrate_quietly", lambda *args: None)
    with transaction.atomic():
        ledger.record("ledger.note", payload={"n": 1})
    monkeypatch.undo()
    with transaction.atomic():
        ledger.record("ledger.note", payload={"n": 2})
    assert Pending.objects.count() == 0 and indices() == [0, 1]


@batched
def test_handlers_receive_an_entry_only_once_integrated_under_its_index(no_trigger):
    seen: list[int] = []
    dispatch.subscribe("ledger.note", lambda r: seen.append(r.index), name="test.sequencing")
    try:
        with transaction.atomic():
            ledger.record("ledger.note", payload={})
        assert seen == []  # committed but not yet in the tree: nothing to hand over
        sequencing.integrate_all()
        assert seen == [0]
    finally:
        dispatch.unsubscribe("ledger.note", "test.sequencing")


@batched
def test_resolvers_learn_each_index_inside_the_integration(no_trigger):
    learned: dict[int, int] = {}

    def resolve(mapping):
        assert transaction.get_connection().in_atomic_block  # in the integration's transaction
        learned.update(mapping)

    sequencing.register_resolver("test.sequencing", resolve)
    try:
        with transaction.atomic():
            a = ledger.record("ledger.note", payload={"n": 1})
            b = ledger.record("ledger.note", payload={"n": 2})
        sequencing.integrate_all()
        assert learned == {a.pending: 0, b.pending: 1}
    finally:
        sequencing._resolvers.pop("test.sequencing")


@batched
def test_a_failing_resolver_rolls_the_integration_back_and_nothing_is_lost(no_trigger):
    def fail(mapping):
        raise RuntimeError("anchor failed")

    with transaction.atomic():
        ledger.record("ledger.note", payload={})
    sequencing.register_resolver("test.failing", fail)
    try:
        with pytest.raises(RuntimeError):
            sequencing.integrate_all()
        assert Pending.objects.count() == 1 and indices() == [] and selectors.tree_size() == 0
    finally:
        sequencing._resolvers.pop("test.failing")
    assert sequencing.integrate_all() == 1 and indices() == [0]


@batched
@override_settings(LEDGER_CHECKPOINT_EVERY=3)
def test_checkpoints_follow_the_integration_and_cover_the_entries():
    for n in range(3):
        with transaction.atomic():
            ledger.record("ledger.note", payload={"n": n})
    cp = Checkpoint.objects.order_by("-id").first()
    assert cp is not None and cp.size == 3  # due by count once the third entry was integrated


@batched
def test_a_checkpoint_asked_for_integrates_what_is_pending_first(no_trigger):
    with transaction.atomic():
        ledger.record("ledger.note", payload={})
    cp = services.issue_checkpoint(reason="meeting-closed")
    assert cp.size == 1 and Pending.objects.count() == 0


def test_inline_mode_is_unchanged_and_the_default_in_tests():
    assert sequencing.mode() == "inline"
    entry = ledger.record("ledger.note", payload={})
    assert entry.index == 0 and entry.pending is None and Pending.objects.count() == 0


@override_settings(LEDGER_SEQUENCING="sometimes")
def test_an_unknown_mode_is_a_configuration_error():
    with pytest.raises(ValueError, match="LEDGER_SEQUENCING"):
        ledger.record("ledger.note", payload={})


@batched
@pytest.mark.parametrize("rolled_back_first", [True, False])
def test_a_rolled_back_savepoint_strands_nothing_else_the_transaction_recorded(rolled_back_first):
    def doomed():
        with pytest.raises(RuntimeError), transaction.atomic():
            ledger.record("ledger.note", payload={"kept": False})
            raise RuntimeError

    with transaction.atomic():
        if rolled_back_first:
            doomed()
        kept = ledger.record("ledger.note", payload={"kept": True})
        if not rolled_back_first:
            doomed()
    assert Pending.objects.count() == 0
    assert selectors.integrated_index(kept.pending) == 0 and indices() == [0]


@batched
def test_api_and_pages_say_pending_until_integrated_then_give_the_entry(
    world, api_client, client, no_trigger
):
    with transaction.atomic():
        mine = ledger.record("ledger.note", unit="t-unit", subject="matter:7", payload={"n": 1})
        other = ledger.record("ledger.note", unit="t-other", subject="matter:8", payload={"n": 2})
    admin, inspector = api_client.as_(world.admin), api_client.as_(world.inspector)

    r = inspector.get(f"/api/v1/ledger/pending/{mine.pending}")
    assert r.status_code == 202
    assert (
        r.json()["status"] == "pending" and r.json()["index"] is None and r.json()["pending"] == mine.pending
    )
    assert inspector.get(f"/api/v1/ledger/pending/{other.pending}").status_code == 404  # not their unit
    assert inspector.get("/api/v1/ledger/pending/999999").status_code == 404
    for url in ("/api/v1/ledger/entries/0", "/api/v1/ledger/proofs/inclusion?index=1&size=2"):
        r = admin.get(url)
        assert r.status_code == 202 and r.json()["status"] == "pending", url  # promised, not "not found"
    assert admin.get("/api/v1/ledger/entries/2").status_code == 404  # nothing waits for index 2

    client.force_login(world.inspector)
    page = client.get("/ledger/").content.decode()
    # the pending row reads like any entry: subject, unit and person by name, never a code
    assert 'data-testid="pending-entry"' in page and "事项 #7" in page and "事项 #8" not in page
    assert "matter:7" not in page.split('data-testid="pending-entry"')[1].split("</tr>")[0]
    assert "待入账" in client.get(f"/ledger/pending/{mine.pending}/").content.decode()

    sequencing.integrate_all()
    index = selectors.integrated_index(mine.pending)
    r = inspector.get(f"/api/v1/ledger/pending/{mine.pending}")
    assert r.status_code == 200 and r.json() == {
        "status": "integrated",
        "index": index,
        "pending": mine.pending,
        "message": "",
    }
    assert inspector.get(f"/api/v1/ledger/entries/{index}").json()["entry"].startswith(f'{{"index":{index},')
    assert client.get(f"/ledger/pending/{mine.pending}/").url == f"/ledger/entries/{index}/"
    assert 'data-testid="pending-entry"' not in client.get("/ledger/").content.decode()


@batched
@override_settings(LEDGER_INTEGRATE_AFTER_COMMIT=False)
def test_without_the_after_commit_trigger_the_integrator_process_integrates():
    with transaction.atomic():
        entry = ledger.record("ledger.note", payload={})
    assert Pending.objects.filter(pk=entry.pending).exists() and indices() == []  # 待入账 until the loop runs
    code, _out, _ = run_command("integrate")
    assert code == 0 and indices() == [0] and selectors.integrated_index(entry.pending) == 0
