"""Unannounced inspection (R-MTG-1 observers, R-SUP-2): a district inspection-group member registers
themselves as an observer of an open meeting of any unit of their district, in the ledger; then reads it
(open and sealed) but never states; everyone else is refused and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.ledger.models import Entry
from zhiheng.meetings import services
from zhiheng.meetings.models import Attendance, AttendanceRole
from zhiheng.org.tests.factories import DistrictRoleFactory, MembershipFactory, PersonFactory

from .conftest import attend_all, convene

pytestmark = pytest.mark.django_db


@pytest.fixture
def iw(mw):
    mw.inspection = PersonFactory(username="t-inspection", name="督察组成员")
    DistrictRoleFactory(
        person=mw.inspection, district=mw.district, role="inspection", start=dt.date(2012, 1, 1)
    )
    mw.far_inspection = PersonFactory(username="t-far-inspection", name="外区督察")
    DistrictRoleFactory(
        person=mw.far_inspection, district=mw.far_district, role="inspection", start=dt.date(2012, 1, 1)
    )
    mw.meeting = convene(mw)
    attend_all(mw, mw.meeting)
    return mw


def observe_url(meeting) -> str:
    return f"/api/v1/meetings/{meeting.pk}/observe"


def test_inspection_member_observes_and_reads(api_client, iw):
    assert api_client.as_(iw.inspection).get(f"/api/v1/meetings/{iw.meeting.pk}").status_code == 404
    before = Entry.objects.count()
    r = api_client.as_(iw.inspection).post(observe_url(iw.meeting))
    assert r.status_code == 200, r.json()
    row = next(a for a in r.json()["attendance"] if a["username"] == iw.inspection.username)
    assert row == {**row, "role": "observer", "invited_by": iw.inspection.username}
    entry = Entry.objects.order_by("-index").first()
    assert Entry.objects.count() == before + 1 and entry.event_type == "meeting.inspection_observe"
    assert entry.actor == iw.inspection.username and entry.unit == iw.unit.code
    # registering again is harmless and writes nothing
    assert api_client.as_(iw.inspection).post(observe_url(iw.meeting)).status_code == 200
    assert Entry.objects.count() == before + 1
    assert api_client.as_(iw.inspection).get(f"/api/v1/meetings/{iw.meeting.pk}").status_code == 200
    listed = api_client.as_(iw.inspection).get("/api/v1/meetings").json()
    assert [m["id"] for m in listed["items"]] == [iw.meeting.pk]


def test_observer_never_states_or_recommends(api_client, iw):
    services.observe(by=iw.inspection, meeting=iw.meeting)
    item = iw.meeting.items.get()
    before = Entry.objects.count()
    r = api_client.as_(iw.inspection).post(
        f"/api/v1/meetings/{iw.meeting.pk}/items/{item.pk}/statements", {"position": "agree", "reason": "可"}
    )
    assert r.status_code == 403 and r.json()["error"]["rule"] == "R-MTG-1"
    assert Entry.objects.count() == before and not item.statements.exists()


def test_observer_reads_sealed_minutes(api_client, iw):
    services.observe(by=iw.inspection, meeting=iw.meeting)
    services.defer_item(by=iw.principal, item=iw.meeting.items.get(), reason="督察在场，下次再议")
    services.close_meeting(by=iw.principal, meeting=iw.meeting)
    r = api_client.as_(iw.inspection).get(f"/api/v1/meetings/{iw.meeting.pk}")
    assert r.status_code == 200 and r.json()["state"] == "sealed"


def test_sealed_meeting_cannot_be_observed(api_client, iw):
    services.defer_item(by=iw.principal, item=iw.meeting.items.get(), reason="督察在场，下次再议")
    services.close_meeting(by=iw.principal, meeting=iw.meeting)
    before = Entry.objects.count()
    r = api_client.as_(iw.inspection).post(observe_url(iw.meeting))
    assert r.status_code == 409 and r.json()["error"]["rule"] == "R-MTG-7"
    assert Entry.objects.count() == before
    # and a sealed meeting they never attended stays closed to them
    assert api_client.as_(iw.inspection).get(f"/api/v1/meetings/{iw.meeting.pk}").status_code == 404


def test_any_unit_of_the_district(api_client, iw):
    meeting = services.create_meeting(by=iw.other_principal, unit=iw.other_unit, kind="office", date=iw.day)
    assert api_client.as_(iw.inspection).post(observe_url(meeting)).status_code == 200
    assert api_client.as_(iw.far_inspection).post(observe_url(meeting)).status_code == 404


@pytest.mark.parametrize(
    "who,status,rule",
    [
        ("inspection", 200, None),
        ("far_inspection", 404, None),
        ("admin", 403, "R-SUP-2"),
        ("principal", 403, "R-SUP-2"),
        ("deputy", 403, "R-SUP-2"),
        ("inspector", 403, "R-SUP-2"),
        ("staff", 404, None),
        ("outsider", 404, None),
        ("other_admin", 404, None),
    ],
)
def test_persona_matrix_observe(api_client, iw, who, status, rule):
    before = Entry.objects.count()
    attendance = Attendance.objects.count()
    r = api_client.as_(getattr(iw, who)).post(observe_url(iw.meeting))
    assert r.status_code == status, r.json()
    if status == 200:
        assert Attendance.objects.filter(person=iw.inspection, role=AttendanceRole.OBSERVER).exists()
    else:
        assert Entry.objects.count() == before and Attendance.objects.count() == attendance
        if rule:
            assert r.json()["error"]["rule"] == rule


def test_unknown_meeting_404(api_client, iw):
    assert api_client.as_(iw.inspection).post("/api/v1/meetings/999999/observe").status_code == 404


def test_expired_inspection_role_cannot_observe(api_client, iw):
    caller = api_client.as_(iw.inspection)
    iw.inspection.district_roles.update(end=dt.date(2026, 3, 1))
    # Their only term has ended, so their token died with it (issue 10, decision 0010)…
    assert caller.post(observe_url(iw.meeting)).status_code == 401
    # …and holding some other term does not bring the expired inspection role back.
    MembershipFactory(person=iw.inspection, unit=iw.other_unit, role="staff", start=dt.date(2026, 3, 2))
    assert caller.post(observe_url(iw.meeting)).status_code == 404
