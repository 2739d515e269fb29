"""Journey (issue #6): a purchase over the collective threshold goes submitted → collective review →
meeting item → passed → approved, and every step is in the ledger; a rejected and a deferred item move
their matters to rejected and back to the agenda pool; a submitter on the team is recused (R-MTG-9)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.core.errors import Conflict
from zhiheng.ledger.models import Entry
from zhiheng.ledger.services import verify_all
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters import services as matters
from zhiheng.meetings import services
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers import services as power_services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def fw(world):
    w = world
    with clock.frozen(clock.at(dt.date(2012, 1, 2))):
        for code, name, category in [
            ("finance", "财务", "finance"),
            ("procurement", "采购", "procurement"),
            ("personnel", "人事", "personnel"),
        ]:
            power_services.save_power(by=None, unit=w.unit, code=code, name=name, category=category)
        power_services.set_unit_policy(
            by=None,
            unit=w.unit,
            template=power_selectors.latest_template("jiangbei-3x"),
            x_categories=[],
            in_force_from=dt.date(2012, 1, 1),
        )
        plan = power_services.draft_plan(
            by=w.principal,
            unit=w.unit,
            assignments=[
                ("finance", w.deputy.username),
                ("procurement", w.deputy2.username),
                ("personnel", w.deputy3.username),
            ],
        )
        power_services.file_plan(by=w.principal, plan=plan, in_force_from=dt.date(2012, 1, 2))
    with clock.frozen(clock.at(DAY, 9)):
        w.procurement = power_selectors.get_power(w.unit, "procurement")
        yield w


def purchase(w, title, amount="80000.00", by=None):
    return matters.submit(
        by=by or w.staff,
        unit=w.unit,
        power=w.procurement,
        title=title,
        amount=amount,
        counterparty="某供应商",
    )


def everyone_agrees(w, item, order):
    for person in order:
        services.state(by=person, item=item, position="agree", reason="程序合规，价格合理")


def test_matter_over_threshold_is_decided_by_the_meeting(fw):
    w = fw
    matter = purchase(w, "采购执法记录仪 40 台")
    assert matter.state == "submitted" and matter.requires_collective
    # the deputy in charge alone cannot approve it (R-MAT-3)
    with pytest.raises(Conflict) as refused:
        matters.approve(matter=matter, by=w.deputy2)
    assert refused.value.rule == "R-MAT-3"
    assert matter in matter_selectors.list_awaiting_collective(w.unit)

    meeting = services.create_meeting(
        by=w.principal, unit=w.unit, kind="party_committee", date=DAY, items=[{"matter": matter.pk}]
    )
    item = meeting.items.get()
    assert item.title == matter.title and item.presenter == w.deputy2  # the deputy in charge presents
    matter.refresh_from_db()
    assert matter.state == "collective_review"
    services.record_attendance(
        by=w.principal,
        meeting=meeting,
        present=[w.principal, w.deputy, w.deputy2, w.deputy3],
        observers=[w.inspector],
    )
    with pytest.raises(Conflict):
        services.state(by=w.principal, item=item, position="agree", reason="同意")
    everyone_agrees(w, item, [w.deputy2, w.deputy, w.deputy3, w.principal])
    [result] = services.close_meeting(by=w.principal, meeting=meeting)
    assert result["decision"] == "passed"
    matter.refresh_from_db()
    assert matter.state == "approved" and matter.decision_ref == f"meeting:{meeting.pk}/item:{item.pk}"
    assert matter not in matter_selectors.list_awaiting_collective(w.unit)

    matter_events = list(
        Entry.objects.filter(subject=f"matter:{matter.pk}").values_list("event_type", flat=True)
    )
    assert matter_events[0] == "matter.submitted" and matter_events[-1] == "matter.collective_decision"
    assert any("refer" in e for e in matter_events)
    meeting_events = set(
        Entry.objects.filter(subject__startswith=f"meeting:{meeting.pk}").values_list("event_type", flat=True)
    )
    assert {
        "meeting.created",
        "meeting.item_added",
        "meeting.attendance",
        "meeting.statement",
        "meeting.item_decided",
        "meeting.sealed",
    } <= meeting_events
    assert verify_all().ok


def test_rejected_and_deferred_items_move_their_matters(fw):
    w = fw
    rejected, deferred = purchase(w, "采购高档办公家具"), purchase(w, "采购会议系统")
    meeting = services.create_meeting(
        by=w.principal,
        unit=w.unit,
        kind="office",
        date=DAY,
        items=[{"matter": rejected.pk}, {"matter": deferred.pk}],
    )
    first, second = meeting.items.order_by("number")
    services.record_attendance(
        by=w.principal, meeting=meeting, present=[w.principal, w.deputy, w.deputy2, w.deputy3]
    )
    for person in (w.deputy2, w.deputy, w.deputy3, w.principal):
        services.state(by=person, item=first, position="disagree", reason="超出配置标准")
    for person, position in (
        (w.deputy2, "defer"),
        (w.deputy, "defer"),
        (w.deputy3, "agree"),
        (w.principal, "defer"),
    ):
        services.state(by=person, item=second, position=position, reason="需再比价")
    results = services.close_meeting(by=w.principal, meeting=meeting)
    assert [r["decision"] for r in results] == ["rejected", "deferred"]
    rejected.refresh_from_db()
    deferred.refresh_from_db()
    assert rejected.state == "rejected"
    assert deferred.state == "collective_review"
    assert deferred in matter_selectors.list_awaiting_collective(w.unit)  # back to the agenda pool
    # ... and a later meeting may take it up again
    later = services.create_meeting(
        by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": deferred.pk}]
    )
    assert later.items.get().matter_id == deferred.pk


def test_a_submitter_on_the_team_is_recused(fw):
    w = fw
    matter = purchase(w, "采购车辆", by=w.deputy3)
    meeting = services.create_meeting(
        by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": matter.pk}]
    )
    item = meeting.items.get()
    services.record_attendance(
        by=w.principal, meeting=meeting, present=[w.principal, w.deputy, w.deputy2, w.deputy3]
    )
    with pytest.raises(Conflict) as refused:
        services.state(by=w.deputy3, item=item, position="agree", reason="我提交的")
    assert refused.value.rule == "R-MTG-9"
    everyone_agrees(w, item, [w.deputy2, w.deputy, w.principal])  # the principal does not wait for deputy3
    [result] = services.close_meeting(by=w.principal, meeting=meeting)
    assert result["decision"] == "passed" and result["agree"] == 3


def test_a_decided_matter_cannot_be_put_on_an_agenda_again(fw):
    w = fw
    matter = purchase(w, "采购打印机")
    meeting = services.create_meeting(
        by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": matter.pk}]
    )
    with pytest.raises(Conflict) as twice:  # already on an open meeting's agenda
        services.create_meeting(
            by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": matter.pk}]
        )
    assert twice.value.rule == "R-MTG-1"
    services.close_meeting(by=w.principal, meeting=meeting)  # nobody present: no quorum → back to the pool
    matter.refresh_from_db()
    assert matter.state == "collective_review"
    again = services.create_meeting(
        by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": matter.pk}]
    )
    services.record_attendance(by=w.principal, meeting=again, present=[w.principal, w.deputy, w.deputy2])
    for person in (w.deputy2, w.deputy, w.principal):
        services.state(by=person, item=again.items.get(), position="disagree", reason="暂不需要")
    services.close_meeting(by=w.principal, meeting=again)
    before = Entry.objects.count()
    with pytest.raises(Conflict) as refused:
        services.create_meeting(
            by=w.principal, unit=w.unit, kind="office", date=DAY, items=[{"matter": matter.pk}]
        )
    assert refused.value.rule == "R-MTG-1" and Entry.objects.count() == before
