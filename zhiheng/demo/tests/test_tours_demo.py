"""The demo's inspection tours (R-GATE-5, issue 18 part 4), read through the API the way an integration would:
the seed's "2007年以来，共对23个镇街和29个重点部门一把手开展了巡察监督，收集意见和建议1000余条，要求整改问题100余个，
提供违纪线索4条" — 52 units, 1,000+ opinions, 100+ rectifications, 4 leads."""

from __future__ import annotations

import pytest

from zhiheng.accounts.services import issue_token
from zhiheng.checkup.models import ArchiveEntry
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.tours.models import Rectification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return restore_demo()


def _get(client, username, path):
    token = issue_token(username=username, password="zhiheng-demo")
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_yongchuans_tours_read_as_the_seed_says(demo, client):
    body = _get(client, "yongchuan-admin", "/api/v1/districts/yongchuan/tours?limit=100").json()
    tours = body["items"]
    assert body["count"] == len(tours) >= 13
    assert {"id", "units", "opinions", "rectifications", "rectifications_closed", "leads"} == set(tours[0])
    units = {code for t in tours for code in t["units"]}
    assert len(units) == 52
    assert len({u for u in units if u.startswith(("yc-t", "yc-sll", "yc-ztz", "yc-slz"))}) == 23
    assert sum(t["opinions"] for t in tours) >= 1000
    assert sum(t["rectifications"] for t in tours) >= 100
    assert sum(t["leads"] for t in tours) == 4
    assert sum(t["rectifications"] - t["rectifications_closed"] for t in tours) == 3  # the tour under way


def test_the_tour_under_way_has_an_overdue_rectification_and_the_finished_one_reached_the_archive(
    demo, client
):
    open_items = Rectification.objects.filter(tour__done_on=None).exclude(state="accepted")
    assert {r.state for r in open_items} == {"open", "answered"}
    entries = ArchiveEntry.objects.filter(category="supervision", subcategory="tour")
    assert {e.person.username for e in entries} == {"yc-czj-principal", "yc-sll-principal"}
    mine = _get(client, "yc-jw-principal", "/api/v1/units/yc-jw/tour-rectifications").json()
    assert mine["count"] == 4  # two from its 2008 round, two from the tour under way
    assert sum(r["overdue"] for r in mine["items"]) == 1  # 公务接待清单不完整, due 2026-11-15
    assert _get(client, "yc-jw-principal", "/api/v1/districts/yongchuan/tours").status_code == 404
