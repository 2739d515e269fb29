"""Pages of the meeting room: rendering, the principal's locked control, the polled item fragment."""

from __future__ import annotations

import pytest

from zhiheng.meetings import services

from .conftest import attend_all, convene, say

pytestmark = pytest.mark.django_db


def login(client, person):
    from zhiheng.org.tests.factories import PASSWORD

    assert client.login(username=person.username, password=PASSWORD)


def test_unit_page_links_to_meetings_and_history_lists_them(client, mw):
    meeting = convene(mw)
    login(client, mw.deputy)
    assert "集体决策会议" in client.get(f"/org/units/{mw.unit.code}/").content.decode()
    page = client.get(f"/meetings/units/{mw.unit.code}/").content.decode()
    assert f"/meetings/{meeting.pk}/" in page and "召集会议" in page


def test_create_meeting_through_the_form(client, mw):
    login(client, mw.principal)
    r = client.post(
        f"/meetings/units/{mw.unit.code}/", {"kind": "office", "date": "2026-03-02", "title": "局长办公会"}
    )
    assert r.status_code == 302
    assert "局长办公会" in client.get(r.url).content.decode()


def test_principal_control_is_locked_until_everyone_spoke(client, mw):
    meeting = convene(mw)
    attend_all(mw, meeting)
    item = meeting.items.get()
    login(client, mw.principal)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="statement-locked"' in page and "R-MTG-3" in page and "disabled" in page
    r = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/state/", {"position": "agree", "reason": "同意"})
    assert r.status_code == 409 and "R-MTG-3" in r.content.decode()
    for p in (mw.deputy, mw.deputy2, mw.deputy3):
        say(p, item)
    fragment = client.get(f"/meetings/{meeting.pk}/items/{item.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="statement-form"' in fragment and "statement-locked" not in fragment
    r = client.post(f"/meetings/{meeting.pk}/items/{item.pk}/state/", {"position": "agree", "reason": "同意"})
    assert r.status_code == 302
    r = client.post(f"/meetings/{meeting.pk}/close/")
    assert r.status_code == 302 and r.url.endswith("/minutes/")
    minutes = client.get(r.url).content.decode()
    assert 'data-decision="passed"' in minutes and "决定：通过" in minutes
    assert f"subject=meeting:{meeting.pk}" in minutes


def test_invisible_meeting_is_404(client, mw):
    meeting = convene(mw)
    login(client, mw.staff)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/minutes/").status_code == 404


def test_sealed_room_has_no_controls(client, mw):
    meeting = convene(mw)
    services.close_meeting(by=mw.principal, meeting=meeting)
    login(client, mw.principal)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "close-form" not in page and "item-form" not in page and "hx-trigger" not in page
