"""Configurable meeting rules (R-MTG-2/3): the district's commission admins set a district default and unit
overrides; every change is a dated ledger act; bad shares → 422 R-MTG-2; refusals write nothing; a
meeting keeps the rules it was convened under."""

from __future__ import annotations

import json

import pytest

from zhiheng import parameters
from zhiheng.ledger.models import Entry
from zhiheng.meetings import services
from zhiheng.parameters.models import ParameterVersion
from zhiheng.powers.tests.conftest import REFUSED

from .conftest import attend_all, convene

pytestmark = pytest.mark.django_db


def payload(entry) -> dict:
    return json.loads(entry.text)["payload"]


def own(**scope):
    """The scope's own meeting rules in force (None: it inherits), as the MeetingRules row was."""
    return parameters.effective("meetings", **scope).own


URL = "/api/v1/units/t-unit/meeting-rules"
DURL = "/api/v1/districts/testdistrict/meeting-rules"


def test_defaults_are_the_spec(api_client, mw):
    body = api_client.as_(mw.principal).get(URL).json()
    assert body["source"] == "default"
    assert body["quorum"] == {"num": 1, "den": 2, "strict": True}
    assert body["personnel_quorum"] == {"num": 2, "den": 3, "strict": False}
    assert body["blind_statements"] is False


def test_district_default_then_unit_override_then_clear(api_client, mw):
    admin = api_client.as_(mw.admin)
    r = admin.post(DURL, {"blind_statements": True})
    assert r.status_code == 200, r.json()
    assert admin.get(URL).json()["source"] == "district"
    assert admin.get(URL).json()["blind_statements"] is True
    r = admin.post(URL, {"quorum": {"num": 2, "den": 3, "strict": False}})
    body = r.json()
    assert r.status_code == 200 and body["source"] == "unit"
    # values not given come from the rules in force (the district's blind mode)
    assert body["quorum"] == {"num": 2, "den": 3, "strict": False} and body["blind_statements"] is True
    assert api_client.as_(mw.other_principal).get("/api/v1/units/t-other/meeting-rules").json()["source"] == (
        "district"
    )
    from django.test import Client

    assert Client().get(URL).status_code == 401
    entries = list(Entry.objects.filter(event_type="meeting.rules_set").order_by("index"))
    assert [payload(e)["scope"] for e in entries] == ["district", "unit"]
    assert payload(entries[1])["before"] is None and payload(entries[1])["after"]["quorum"]["num"] == 2
    assert payload(entries[1])["effective_from"] == "2026-03-02"


def test_clear_unit_rules_is_recorded(mw):
    parameters.set_values("meetings", by=mw.admin, unit=mw.unit, values={"blind_statements": True})
    before = Entry.objects.count()
    parameters.clear("meetings", by=mw.admin, unit=mw.unit)
    assert own(unit=mw.unit) is None
    e = Entry.objects.order_by("-index").first()
    assert Entry.objects.count() == before + 1 and payload(e)["after"] is None


@pytest.mark.parametrize("who,status", [("admin", 200), *REFUSED.items()])
def test_persona_matrix_unit_rules(api_client, mw, who, status):
    before = Entry.objects.count()
    r = api_client.as_(getattr(mw, who)).post(URL, {"blind_statements": True})
    assert r.status_code == status, r.json()
    if status != 200:
        assert Entry.objects.count() == before
        assert not ParameterVersion.objects.exists()
        if status == 403:
            assert r.json()["error"]["rule"] == "R-MTG-2"
    else:
        assert Entry.objects.count() == before + 1


@pytest.mark.parametrize("who,status", [("admin", 200), ("principal", 404), ("other_admin", 404)])
def test_persona_matrix_district_rules(api_client, mw, who, status):
    r = api_client.as_(getattr(mw, who)).post(DURL, {"blind_statements": True})
    assert r.status_code == status
    assert ParameterVersion.objects.exists() is (status == 200)


def test_principal_cannot_switch_blind_mode(api_client, mw):
    r = api_client.as_(mw.principal).post(URL + "/reset")
    assert r.status_code == 403 and r.json()["error"]["rule"] == "R-MTG-2"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"quorum": {"num": 1, "den": 3}}, "quorum"),  # below half
        ({"quorum": {"num": 3, "den": 2}}, "quorum"),  # not a share
        ({"quorum": {"num": 0, "den": 2}}, "quorum"),
        ({"quorum": {"num": 1, "den": 1000}}, "quorum"),
        ({"personnel_quorum": {"num": 1, "den": 2, "strict": False}}, "personnel_quorum"),  # below general
        ({"quorum": {"num": 3, "den": 4}}, "personnel_quorum"),  # general now above personnel's 2/3
    ],
)
def test_invalid_rules_422(api_client, mw, body, field):
    before = Entry.objects.count()
    r = api_client.as_(mw.admin).post(URL, body)
    assert r.status_code == 422, r.json()
    assert r.json()["error"]["rule"] == "R-MTG-2" and field in r.json()["error"]["detail"]["fields"]
    assert Entry.objects.count() == before and not ParameterVersion.objects.exists()


def test_type_errors_are_422_validation(api_client, mw):
    r = api_client.as_(mw.admin).post(URL, {"quorum": {"num": "half"}})
    assert r.status_code == 422 and r.json()["error"]["rule"] == "validation"


def test_configured_quorum_decides_and_open_meeting_keeps_its_rules(mw):
    parameters.set_values(
        "meetings",
        by=mw.admin,
        unit=mw.unit,
        values={
            "quorum": {"num": 3, "den": 4, "strict": False},
            "personnel_quorum": {"num": 3, "den": 4, "strict": False},
        },
    )
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy])  # 2 of 4 < 3/4
    # a change after convening does not alter how this meeting is counted
    parameters.clear("meetings", by=mw.admin, unit=mw.unit)
    assert services.close_meeting(by=mw.principal, meeting=meeting)[0]["decision"] == "no-quorum"
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy2])  # 3 of 4 > 1/2
    item = meeting.items.get()
    services.state(by=mw.deputy, item=item, position="agree", reason="可")
    services.state(by=mw.deputy2, item=item, position="agree", reason="可")
    services.state(by=mw.principal, item=item, position="agree", reason="可")
    assert services.close_meeting(by=mw.principal, meeting=meeting)[0]["decision"] == "passed"


def test_blind_mode_from_rules_is_copied_at_convening(mw):
    parameters.set_values("meetings", by=mw.admin, district=mw.district, values={"blind_statements": True})
    assert convene(mw).blind is True
    parameters.set_values("meetings", by=mw.admin, unit=mw.unit, values={"blind_statements": False})
    assert convene(mw).blind is False
