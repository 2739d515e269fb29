"""The use cases with the database: the grade computed under the unit's thresholds, versions and ledger
entries, the reason a change of grade needs, the review cycle, and the incidents on a point's power."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhiheng.core.errors import Conflict, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.parameters.tests.factories import put
from zhiheng.riskregister import selectors, services
from zhiheng.riskregister.models import RiskPoint

from .conftest import propose

pytestmark = pytest.mark.django_db


def last_entry():
    return Entry.objects.order_by("-index").first()


def payload_of(entry):
    return json.loads(entry.text)["payload"]


def test_a_proposed_point_is_a_graded_draft_recorded_in_the_ledger(rw):
    point = rw.point
    assert (point.status, point.score, point.grade, point.version) == ("draft", 48, "B", 1)
    assert point.review_due == rw.day + dt.timedelta(days=365)
    entry = last_entry()
    assert (entry.event_type, entry.subject, entry.unit) == (
        "riskregister.point_proposed",
        point.subject,
        "t-unit",
    )
    payload = payload_of(entry)
    assert payload["grade"] == "B" and payload["power"] == "finance"
    assert payload["content"] == point.content_digest()
    assert "description" not in payload and "measures" not in payload  # ids, codes and a digest only
    assert point.revisions.count() == 1


def test_the_districts_thresholds_and_cycle_apply(rw):
    put("riskregister", unit=rw.unit, values={"a_min": 40, "b_min": 30, "c_min": 10, "review_days": 180})
    point = propose(rw, description="另一风险")
    assert point.grade == "A"
    assert point.review_due == rw.day + dt.timedelta(days=180)


def test_a_draft_may_change_grade_without_a_reason(rw):
    point = services.edit_point(by=rw.deputy, point=rw.point, harm=1, importance=1)
    assert point.grade == "D" and point.version == 2
    assert last_entry().event_type == "riskregister.point_regraded"
    assert payload_of(last_entry())["old_grade"] == "B"


def test_a_published_point_changes_grade_only_with_a_reason_recorded_with_old_and_new(rw):
    point = services.publish_point(by=rw.principal, point=rw.point)
    entries = Entry.objects.count()
    with pytest.raises(Invalid) as refused:
        services.edit_point(by=rw.deputy, point=point, harm=1, importance=1)
    assert refused.value.rule == "R-GATE-6"
    assert Entry.objects.count() == entries
    assert RiskPoint.objects.get(pk=point.pk).grade == "B"
    point = services.edit_point(by=rw.deputy, point=point, harm=1, importance=1, reason="已上线电子审批")
    entry = last_entry()
    assert entry.event_type == "riskregister.point_regraded"
    assert (payload_of(entry)["old_grade"], payload_of(entry)["grade"], payload_of(entry)["reason"]) == (
        "B",
        "D",
        "已上线电子审批",
    )
    revision = point.revisions.order_by("-number").first()
    assert (revision.old_grade, revision.grade, revision.reason) == ("B", "D", "已上线电子审批")


def test_an_edit_without_a_change_writes_nothing(rw):
    entries = Entry.objects.count()
    services.edit_point(by=rw.deputy, point=rw.point, harm=4)
    assert Entry.objects.count() == entries


def test_the_owner_must_hold_a_term_in_the_unit(rw):
    with pytest.raises(Invalid) as refused:
        services.edit_point(by=rw.deputy, point=rw.point, owner=rw.outsider)
    assert "owner" in refused.value.detail["fields"]


def test_measures_are_required(rw):
    with pytest.raises(Invalid) as refused:
        propose(rw, measures="  ")
    assert "measures" in refused.value.detail["fields"]


def test_a_review_sets_the_next_due_date_and_clears_a_required_review(rw):
    point = services.publish_point(by=rw.inspector, point=rw.point)
    point = services.require_review(by=rw.admin, point=point, reason="该职权近期预警较多")
    assert point.review_required_at is not None
    point = services.review_point(by=rw.deputy, point=point, note="措施有效")
    assert point.review_required_at is None and point.reviewed_at is not None
    assert point.review_due == rw.day + dt.timedelta(days=365)
    assert last_entry().event_type == "riskregister.point_reviewed"


def test_a_retired_point_is_history(rw):
    point = services.retire_point(by=rw.inspector, point=rw.point, reason="职权已划转")
    assert point.status == "retired"
    with pytest.raises(Conflict):
        services.edit_point(by=rw.deputy, point=point, harm=5)
    with pytest.raises(Invalid):
        services.retire_point(by=rw.admin, point=propose(rw), reason=" ")


def test_overdue_reviews_are_listed(rw):
    point = services.publish_point(by=rw.principal, point=rw.point)
    RiskPoint.objects.filter(pk=point.pk).update(review_due=rw.day - dt.timedelta(days=1))
    assert list(selectors.overdue(rw.admin)) == [point]
    assert list(selectors.overdue(rw.outsider)) == []


def test_a_warning_on_a_matter_of_the_power_is_an_incident_and_raises_the_point_for_review(rw):
    point = services.publish_point(by=rw.principal, point=rw.point)
    assert not selectors.incidents_of(point).needs_review
    matter = matters.submit(
        by=rw.staff, unit=rw.unit, power=rw.power["finance"], title="办公用品", amount="100.00"
    )
    from zhiheng.risk import services as risk

    with_time = dt.datetime.combine(rw.day, dt.time(12), tzinfo=dt.UTC)
    from zhiheng.core import clock

    with clock.frozen(with_time):
        warning = risk.raise_warning(
            rule="RF2", level="high", unit=rw.unit, subject=matter.subject, explanation="拆分采购", records=[]
        )
    other = matters.submit(
        by=rw.staff, unit=rw.unit, power=rw.power["procurement"], title="采购", amount="10.00"
    )
    risk.raise_warning(
        rule="RF4", level="low", unit=rw.unit, subject=other.subject, explanation="x", records=[]
    )
    found = selectors.incidents_of(point)
    assert [w.pk for w in found.warnings] == [warning.pk]
    assert found.needs_review
    # the inspector and the commission see the warning; the principal and the deputy only what they may know
    assert selectors.incidents_of(point, rw.inspector).warnings_count == 1
    assert selectors.incidents_of(point, rw.admin).warnings_count == 1
    for person in (rw.principal, rw.deputy):
        seen = selectors.incidents_of(point, person)
        assert (seen.warnings, seen.warnings_count, seen.reports_count) == ([], 0, None)
        assert not seen.needs_review
    # a review newer than the warning clears the flag
    with clock.frozen(with_time + dt.timedelta(hours=1)):
        point = services.review_point(by=rw.deputy, point=point)
    assert not selectors.incidents_of(point).needs_review
