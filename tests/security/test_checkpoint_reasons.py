"""The ledger page's checkpoint list is read by every signed-in person, whatever their unit: a checkpoint
signed when a meeting was sealed names the meeting by number only, never by its title (found by the
issue 13 walk: staff of a 江北 unit read what 南川's units had decided)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.ledger.services import issue_checkpoint
from zhiheng.meetings import services as meetings
from zhiheng.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_a_sealed_meetings_checkpoint_shows_its_number_not_its_title(client, world):
    with clock.frozen(clock.at(DAY, 10)):
        meeting = meetings.create_meeting(
            by=world.principal,
            unit=world.unit,
            kind="party_committee",
            date=DAY,
            items=[{"title": "区人民医院迁建引资", "presenter": world.deputy}],
            title="机密的党组会",
        )
    issue_checkpoint(reason=f"meeting:{meeting.pk} sealed")

    assert client.login(username=world.outsider.username, password=PASSWORD)
    page = client.get("/ledger/").content.decode()
    assert f"会议 #{meeting.pk} 纪要封存" in page
    assert "机密的党组会" not in page and "区人民医院迁建引资" not in page
