"""The tours' pages through HTTP: the district's tours with their chart, the form that opens a tour, a
tour's page and its forms, the unit's rectifications with the answer form; who gets 404 or 403."""

from __future__ import annotations

import pytest

from zhiheng.org.tests.factories import PASSWORD
from zhiheng.tours import services
from zhiheng.tours.models import Rectification, Tour

pytestmark = pytest.mark.django_db


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def test_the_district_page_lists_tours_with_a_chart(tw, client):
    services.record_opinions(by=tw.group, tour=tw.tour, way="问卷调查", count=12)
    page = _as(client, tw.admin).get("/tours/districts/testdistrict/").content.decode()
    assert "2026年第一轮巡察" in page and 'data-testid="chart-tours-by-year"' in page
    assert 'data-testid="open-tour"' in page
    assert _as(client, tw.principal).get("/tours/districts/testdistrict/").status_code == 404


def test_the_commission_opens_a_tour_through_the_form(tw, client):
    c = _as(client, tw.admin)
    assert c.get("/tours/districts/testdistrict/new/").status_code == 200
    response = c.post(
        "/tours/districts/testdistrict/new/", {"title": "专项巡察", "units": ["t-unit"], "team": ["t-group"]}
    )
    assert response.status_code == 302
    assert Tour.objects.filter(title="专项巡察").exists()
    refused = c.post(
        "/tours/districts/testdistrict/new/", {"title": "x", "units": ["t-unit"], "team": ["t-inspector"]}
    )
    assert refused.status_code == 422


def test_the_tour_page_and_its_forms(tw, client):
    c = _as(client, tw.group)
    page = c.get(f"/tours/{tw.tour.pk}/").content.decode()
    assert "巡察准备" in page and 'data-testid="advance"' in page
    assert c.post(f"/tours/{tw.tour.pk}/advance/", {"note": ""}).status_code == 302
    assert (
        c.post(
            f"/tours/{tw.tour.pk}/opinions/", {"way": "个别谈话", "count": 5, "unit": "t-unit"}
        ).status_code
        == 302
    )
    assert (
        c.post(
            f"/tours/{tw.tour.pk}/rectifications/",
            {"unit": "t-unit", "title": "问题", "deadline": "2026-04-01"},
        ).status_code
        == 302
    )
    assert c.post(f"/tours/{tw.tour.pk}/leads/", {"unit": "t-other", "summary": "线索"}).status_code == 302
    page = c.get(f"/tours/{tw.tour.pk}/").content.decode()
    assert "问题" in page and "线索" in page and "个别谈话" in page
    assert _as(client, tw.principal).get(f"/tours/{tw.tour.pk}/").status_code == 404


def test_the_unit_answers_on_its_page_and_cannot_close(tw, client):
    import datetime as dt

    item = services.open_rectification(
        by=tw.group, tour=tw.tour, unit=tw.unit, title="公车私用", deadline=tw.day + dt.timedelta(days=5)
    )
    c = _as(client, tw.principal)
    page = c.get("/tours/units/t-unit/").content.decode()
    assert "公车私用" in page and f'data-testid="answer-{item.pk}"' in page
    assert c.post(f"/tours/rectifications/{item.pk}/answer/", {"response": "已整改"}).status_code == 302
    assert c.post(f"/tours/rectifications/{item.pk}/close/", {"evidence": "x"}).status_code == 403
    assert Rectification.objects.get(pk=item.pk).state == "answered"
    assert _as(client, tw.staff).get("/tours/units/t-unit/").status_code == 404


def test_the_commission_sets_the_districts_method_and_a_tour_opened_after_follows_it(tw, client):
    """R-GATE-5: the method's step names are the district's to configure; the tour under way keeps the
    method it opened with, the next one copies the new one; a bad list is put back on the form (422);
    the inspection group reads the method but may not set it (403)."""
    url = "/tours/districts/testdistrict/method/"
    page = _as(client, tw.group).get(url).content.decode()
    assert "巡察准备" in page and 'data-testid="method-form"' not in page
    fields = {
        "steps": "进驻\n谈话\n反馈",
        "ways": "个别谈话\n问卷调查",
        "measures": "限期整改",
        "due_soon_days": 10,
        "backdate_days": 3,
    }
    assert client.post(url, fields).status_code == 403
    c = _as(client, tw.admin)
    assert 'data-testid="method-form"' in c.get(url).content.decode()
    refused = c.post(url, {**fields, "steps": "进驻\n进驻"})
    assert refused.status_code == 422 and "进驻" in refused.content.decode()  # what was typed stays
    assert c.post(url, fields).status_code == 302
    assert [str(s) for s in c.get(url).context["lists"][0][1]] == ["进驻", "谈话", "反馈"]
    assert (
        Tour.objects.get(pk=tw.tour.pk).method["steps"][0] == "巡察准备"
    )  # the tour under way keeps its own
    services.open_tour(by=tw.admin, district=tw.district, title="第二轮", units=[tw.unit], team=[tw.group])
    assert Tour.objects.get(title="第二轮").method["steps"] == ["进驻", "谈话", "反馈"]
