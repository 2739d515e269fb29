"""GET /analytics/latency and /analytics/before-after: shapes, who reads which scope, 422 on bad input."""

from __future__ import annotations

import pytest

from .conftest import AFTER_FINANCE, BEFORE, COLLECTIVE_WAIT, OTHER_AFTER, OTHER_BEFORE, D, H, expected

LATENCY = "/api/v1/analytics/latency"
BEFORE_AFTER = "/api/v1/analytics/before-after"


def as_figures(item) -> tuple:
    return item["count"], item["median_days"], item["p90_days"]


def test_latency_answers_a_paginated_list_per_api_md(aw, api_client):
    r = api_client.as_(aw.admin).get(LATENCY, {"district": "testdistrict", "by": "deputy"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"count", "items"} and body["count"] == 4
    assert set(body["items"][0]) == {"key", "label", "count", "median_days", "p90_days"}
    items = {i["key"]: i for i in body["items"]}
    assert as_figures(items["t-principal"]) == expected(BEFORE)
    assert as_figures(items["t-deputy"]) == expected([*AFTER_FINANCE, COLLECTIVE_WAIT, 1 * D + 1 * H])
    assert items["t-deputy"]["label"] == aw.deputy.name
    page = api_client.as_(aw.admin).get(
        LATENCY, {"district": "testdistrict", "by": "deputy", "limit": 1, "offset": 1}
    )
    assert page.json()["count"] == 4 and [i["key"] for i in page.json()["items"]] == [body["items"][1]["key"]]


def test_the_period_and_the_unit_narrow_the_answer(aw, api_client):
    r = api_client.as_(aw.principal).get(
        LATENCY, {"unit": "t-unit", "from": "2011-09-01", "to": "2011-12-31"}
    )
    assert r.status_code == 200
    assert [(i["key"], as_figures(i)) for i in r.json()["items"]] == [("t-unit", expected(BEFORE))]


def test_before_after_per_unit(aw, api_client):
    r = api_client.as_(aw.admin).get(BEFORE_AFTER, {"district": "testdistrict"})
    assert r.status_code == 200
    items = {i["unit"]: i for i in r.json()["items"]}
    assert items["t-unit"]["reform_date"] == "2012-01-02" and items["t-unit"]["pilot"] is True
    assert as_figures(items["t-unit"]["before"]) == expected(BEFORE)
    assert items["t-other"]["pilot"] is False
    assert as_figures(items["t-other"]["before"]) == expected(OTHER_BEFORE)
    assert as_figures(items["t-other"]["after"]) == expected(OTHER_AFTER)
    assert (items["t-unit"]["matters_before"], items["t-unit"]["matters_after"]) == (4, 11)


@pytest.mark.parametrize("who", ["admin", "principal", "deputy", "inspector"])
def test_the_commission_and_the_units_team_read_the_unit(aw, api_client, who):
    for path in (LATENCY, BEFORE_AFTER):
        r = api_client.as_(getattr(aw, who)).get(path, {"unit": "t-unit"})
        assert r.status_code == 200 and r.json()["count"] == 1, (who, path, r.content)


@pytest.mark.parametrize("who", ["staff", "outsider", "other_admin", "other_principal"])
def test_everyone_else_is_answered_404(aw, api_client, who):
    r = api_client.as_(getattr(aw, who)).get(LATENCY, {"unit": "t-unit"})
    assert r.status_code == 404 and r.json()["error"]["rule"] == "not-found"


@pytest.mark.parametrize("who", ["principal", "inspector", "other_admin"])
def test_a_district_is_the_commissions_only(aw, api_client, who):
    r = api_client.as_(getattr(aw, who)).get(LATENCY, {"district": "testdistrict"})
    assert r.status_code == 404


def test_without_a_scope_every_readable_unit(aw, api_client):
    assert {i["key"] for i in api_client.as_(aw.admin).get(LATENCY).json()["items"]} == {"t-unit", "t-other"}
    assert {i["key"] for i in api_client.as_(aw.principal).get(LATENCY).json()["items"]} == {"t-unit"}
    assert api_client.as_(aw.staff).get(LATENCY).json() == {"count": 0, "items": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "weekday"}, "by"),
        ({"from": "2012-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2012-06-01", "to": "2012-05-31"}, "to"),
        ({"from": "1990-01-01", "to": "2020-01-01"}, "from"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(aw, api_client, params, field):
    r = api_client.as_(aw.admin).get(LATENCY, {"unit": "t-unit", **params})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["rule"] == "validation" and field in error["detail"]["fields"]


def test_anonymous_is_401(aw, client):
    assert client.get(LATENCY).status_code == 401
