"""The ledger's after-commit delivery into the red flags (decision 0012): once after the commit, never
for a rolled-back entry, idempotent on a retry, a replay or the catch-up."""

import pytest
from django.core.management import call_command
from django.db import transaction

from zhiheng import ledger
from zhiheng.ledger import dispatch, tasks
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.matters.tests.conftest import small_matter
from zhiheng.risk import tasks as risk_tasks
from zhiheng.risk.models import Warning


def note(text="x"):
    return ledger.record("ledger.note", by=None, unit="t-unit", subject="note:1", payload={"text": text})


@pytest.mark.django_db(transaction=True)
def test_a_handler_receives_a_committed_entry_once_after_the_commit(world, probe):
    with transaction.atomic():
        entry = note("一")
        assert probe == []  # not while the transaction may still roll back
    assert [(r.index, r.code, r.unit, r.subject, r.actor, dict(r.payload)) for r in probe] == [
        (entry.index, "ledger.note", "t-unit", "note:1", "", {"text": "一"})
    ]
    assert probe[0].recorded_at == entry.recorded_at


@pytest.mark.django_db(transaction=True)
def test_a_caller_that_replays_itself_gets_no_second_delivery(world, probe):
    """The demo builder writes its history in one transaction and replays it at the end (demo/builder.py)."""
    with dispatch.replayed_by_caller(), transaction.atomic():
        entry = note("演示")
    assert probe == []
    dispatch.replay(since=entry.index)
    assert [r.index for r in probe] == [entry.index]
    note("之后")  # outside the block, delivery after commit is back
    assert len(probe) == 2


@pytest.mark.django_db(transaction=True)
def test_nothing_is_delivered_for_a_rolled_back_entry(world, probe):
    with pytest.raises(RuntimeError), transaction.atomic():
        note()
        raise RuntimeError("rolled back")
    with transaction.atomic(), transaction.atomic():
        note()
        transaction.set_rollback(True)  # a savepoint rolled back inside a committed transaction
    assert probe == [] and not Entry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_handler_neither_undoes_the_entry_nor_stops_the_others(world, probe):
    def broken(entry):
        raise RuntimeError("handler bug")

    dispatch.subscribe("ledger.note", broken, name="test.broken")
    try:
        entry = note()
        assert Entry.objects.filter(index=entry.index).exists() and len(probe) == 1
        with pytest.raises(RuntimeError):  # a task (or replay) sees the failure and retries
            dispatch.deliver(entry.index)
        assert len(probe) == 2
    finally:
        dispatch.unsubscribe("ledger.note", "test.broken")


@pytest.mark.django_db
def test_with_a_broker_each_entry_is_one_task_enqueued_on_commit(
    world, probe, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks.deliver_entry, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = note(), note()
        ledger.record("auth.login_throttled", by=None, payload={})  # nobody listens: nothing queued
    assert queued == [first.index, second.index] and probe == []
    assert tasks.deliver_entry(first.index) == 1 and [r.index for r in probe] == [first.index]


def _bypass_approval(mw, matter):
    """An approval of a restricted matter by the principal that reached the ledger around the engine."""
    return ledger.record(
        "matter.approved",
        by=mw.principal,
        unit=mw.unit.code,
        subject=matter.subject,
        payload={"state": "approved"},
    )


@pytest.mark.django_db
def test_rf1_consumes_a_principal_s_recorded_decision_once_whatever_replays_it(
    mw, django_capture_on_commit_callbacks
):
    matter = small_matter(mw)
    with django_capture_on_commit_callbacks(execute=True):
        entry = _bypass_approval(mw, matter)
    warning = Warning.objects.get()
    assert (warning.rule, warning.subject, warning.level, warning.source) == (
        "RF1",
        matter.subject,
        "high",
        f"entry:{entry.index}",
    )
    assert warning.records[0]["by"] == "t-principal" and warning.records[0]["ledger_index"] == entry.index
    entries = Entry.objects.count()
    dispatch.deliver(entry.index)  # a retried task
    call_command("risk", "replay", "--since", "0")
    assert risk_tasks.catch_up() >= 1
    assert Warning.objects.count() == 1 and Entry.objects.count() == entries


@pytest.mark.django_db
def test_rf1_ignores_the_deputy_s_decision_and_unrestricted_matters(mw, django_capture_on_commit_callbacks):
    restricted = small_matter(mw)
    general = matters.submit(by=mw.staff, unit=mw.unit, power=mw.power["general"], title="综合", amount=None)
    with django_capture_on_commit_callbacks(execute=True):
        matters.approve(matter=restricted, by=mw.deputy)
        ledger.record(
            "matter.approved", by=mw.principal, unit=mw.unit.code, subject=general.subject, payload={}
        )
    call_command("risk", "replay", "--since", "0")
    assert not Warning.objects.exists()
