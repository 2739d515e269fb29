"""Pages for the district: meeting rules (R-MTG-2/3) and the inspection group's observation (R-SUP-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng import parameters
from zhiheng.ledger.models import Entry
from zhiheng.meetings.models import Attendance
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory
from zhiheng.parameters.models import ParameterVersion

from .conftest import attend_all, convene
from .test_web import login

pytestmark = pytest.mark.django_db


def own(**scope):
    """The scope's own meeting rules in force (None: it inherits), as the MeetingRules row was."""
    return parameters.effective("meetings", **scope).own


FORM = {
    "quorum_num": "2",
    "quorum_den": "3",
    "quorum_strict": "",
    "personnel_quorum_num": "3",
    "personnel_quorum_den": "4",
    "personnel_quorum_strict": "",
    "blind_statements": "on",
}


def test_admin_sets_district_and_unit_rules_through_pages(client, mw):
    login(client, mw.admin)
    page = client.get(f"/meetings/rules/districts/{mw.district.code}/").content.decode()
    assert "district-rules-form" in page and mw.unit.name in page
    r = client.post(f"/meetings/rules/districts/{mw.district.code}/", FORM)
    assert r.status_code == 302
    assert own(district=mw.district)["blind_statements"] is True
    r = client.post(f"/meetings/rules/units/{mw.unit.code}/", {**FORM, "blind_statements": ""})
    assert r.status_code == 302 and own(unit=mw.unit)["blind_statements"] is False
    assert Entry.objects.filter(event_type="meeting.rules_set").count() == 2
    r = client.post(f"/meetings/rules/units/{mw.unit.code}/", {"reset": "1"})
    assert r.status_code == 302 and own(unit=mw.unit) is None


def test_invalid_rules_page_shows_the_rule(client, mw):
    login(client, mw.admin)
    r = client.post(f"/meetings/rules/units/{mw.unit.code}/", {**FORM, "quorum_num": "1", "quorum_den": "4"})
    assert r.status_code == 422 and "R-MTG-2" in r.content.decode()
    assert not ParameterVersion.objects.exists()


def test_principal_sees_rules_but_cannot_switch_blind_mode(client, mw):
    login(client, mw.principal)
    page = client.get(f"/meetings/rules/units/{mw.unit.code}/").content.decode()
    assert "rules-in-force" in page and "unit-rules-form" not in page
    before = Entry.objects.count()
    r = client.post(f"/meetings/rules/units/{mw.unit.code}/", FORM)
    assert r.status_code == 403 and "R-MTG-2" in r.content.decode()
    assert Entry.objects.count() == before and not ParameterVersion.objects.exists()
    assert client.get(f"/meetings/rules/districts/{mw.district.code}/").status_code == 404


def test_other_admin_gets_404(client, mw):
    login(client, mw.other_admin)
    assert client.get(f"/meetings/rules/units/{mw.unit.code}/").status_code == 404
    assert client.post(f"/meetings/rules/districts/{mw.district.code}/", FORM).status_code == 404


def test_inspection_member_walks_in_through_the_room_page(client, mw):
    inspector = PersonFactory(username="t-inspection", name="督察组成员")
    DistrictRoleFactory(person=inspector, district=mw.district, role="inspection", start=dt.date(2012, 1, 1))
    meeting = convene(mw)
    attend_all(mw, meeting)
    login(client, inspector)
    assert f"/meetings/{meeting.pk}/" in client.get("/meetings/inspection/").content.decode()
    gate = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="observe"' in gate and "采购办公设备" not in gate  # the door, not the content
    r = client.post(f"/meetings/{meeting.pk}/observe/")
    assert r.status_code == 302 and Attendance.objects.filter(person=inspector).exists()
    room = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "采购办公设备" in room and 'data-testid="observe"' not in room
    assert "statement-form" not in room


def test_others_cannot_observe_through_pages(client, mw):
    far = PersonFactory(username="t-far-inspection", name="外区督察")
    DistrictRoleFactory(person=far, district=mw.far_district, role="inspection", start=dt.date(2012, 1, 1))
    meeting = convene(mw)
    login(client, far)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/observe/").status_code == 404
    login(client, mw.principal)
    before = Entry.objects.count()
    r = client.post(f"/meetings/{meeting.pk}/observe/")
    assert r.status_code == 403 and "R-SUP-2" in r.content.decode() and Entry.objects.count() == before
