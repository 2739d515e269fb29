"""RF1 (decision 0012): the principal's refused attempt on a restricted matter leaves one warning, through
the API and whatever transaction the caller is in — even one that rolls back."""

import pytest
from django.db import transaction

from zhiheng import ledger
from zhiheng.core.attempts import Attempt
from zhiheng.core.errors import Forbidden
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import small_matter
from zhiheng.risk.models import Warning
from zhiheng.risk.redflags import rf1


def rf1_warnings(matter):
    return Warning.objects.filter(rule="RF1", subject=matter.subject)


def raised_entries(warning):
    return Entry.objects.filter(event_type="risk.warning_raised", subject=f"warning:{warning.pk}")


@pytest.mark.django_db
def test_the_principal_s_approval_through_the_api_is_403_and_an_rf1_warning(mw, api_client):
    matter = small_matter(mw)
    refused = api_client.as_(mw.principal).post(f"/api/v1/matters/{matter.pk}/approve", {"comment": "我批了"})
    assert refused.status_code == 403 and refused.json()["error"]["rule"] == "R-MAT-2"
    page = api_client.as_(mw.inspector).get("/api/v1/warnings", {"rule": "RF1"}).json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["rule"], item["level"], item["unit"], item["subject"], item["status"]) == (
        "RF1",
        "high",
        "t-unit",
        matter.subject,
        "open",
    )
    assert item["records"][0]["by"] == "t-principal" and item["records"][0]["matter"] == matter.pk
    assert "张一把（t-principal）" in item["explanation"] and "执行“批准”" in item["explanation"]
    assert Matter.objects.get(pk=matter.pk).state == "submitted"


@pytest.mark.django_db(transaction=True)
def test_the_warning_survives_the_rollback_of_the_caller_s_transaction(mw):
    matter = small_matter(mw)
    before = Entry.objects.count()
    with pytest.raises(Forbidden) as refusal, transaction.atomic():
        matters.approve(matter=matter, by=mw.principal, comment="我批了")
    assert refusal.value.rule == "R-MAT-2"
    warning = rf1_warnings(matter).get()
    assert warning.source.startswith("attempt:") and warning.records[0]["by"] == "t-principal"
    assert raised_entries(warning).count() == 1 and Entry.objects.count() == before + 1
    assert Matter.objects.get(pk=matter.pk).state == "submitted"


@pytest.mark.django_db(transaction=True)
def test_the_warning_survives_a_caller_that_recorded_first_and_swallows_the_refusal(mw):
    """The caller's transaction holds the ledger's append lock (it recorded an entry), catches the refusal
    and rolls back: the attempt is kept after it, without waiting on that lock."""
    matter = small_matter(mw)
    with transaction.atomic():
        ledger.record("ledger.note", by=None, unit="t-unit", subject="note:1", payload={"text": "先记一笔"})
        with pytest.raises(Forbidden):
            matters.reject(matter=matter, by=mw.principal, comment="不行")
        transaction.set_rollback(True)
    warning = rf1_warnings(matter).get()
    assert raised_entries(warning).count() == 1
    assert not Entry.objects.filter(event_type="ledger.note").exists()


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_inside_a_committed_transaction_still_leaves_one_warning(mw):
    matter = small_matter(mw)
    with transaction.atomic():
        with pytest.raises(Forbidden), transaction.atomic():
            matters.approve(matter=matter, by=mw.principal)
        assert not rf1_warnings(matter).exists()  # gone with the savepoint, for now
    assert raised_entries(rf1_warnings(matter).get()).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_caller_keeps_the_first_write_and_no_second(mw):
    matter = small_matter(mw)
    before = Entry.objects.count()
    with transaction.atomic():
        with pytest.raises(Forbidden):
            matters.approve(matter=matter, by=mw.principal)
        assert rf1_warnings(matter).count() == 1  # visible inside the caller's transaction
    assert rf1_warnings(matter).count() == 1 and Entry.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_the_warning_commits_at_once(mw):
    matter = small_matter(mw)
    with pytest.raises(Forbidden):
        matters.approve(matter=matter, by=mw.principal)
    assert rf1_warnings(matter).count() == 1


@pytest.mark.django_db
def test_the_recorder_keeps_an_attempt_once_and_nothing_for_a_rolled_back_world(mw):
    matter = small_matter(mw)
    attempt = Attempt(
        kind=rf1.ATTEMPT,
        actor="t-principal",
        unit="t-unit",
        subject=matter.subject,
        facts={"action": "approve", "matter": matter.pk, "title": matter.title, "name": "张一把"},
    )
    first = rf1.record_attempt(attempt)
    before = Entry.objects.count()
    assert rf1.record_attempt(attempt) == first and Entry.objects.count() == before
    assert rf1.record_attempt(Attempt(kind=rf1.ATTEMPT, actor="x", unit="gone", subject="matter:1")) is None
    gone = Attempt(kind=rf1.ATTEMPT, actor="x", unit="t-unit", subject="matter:999", facts={"matter": 999})
    assert rf1.record_attempt(gone) is None and Warning.objects.count() == 1
