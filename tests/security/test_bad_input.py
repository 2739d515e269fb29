"""Issue 10 findings 6 and 8: bad input never gets a 500, and under /api/v1/ every answer is in the
error shape {"error": {"rule", "message", "detail"}} — whatever the body, path, method or size."""

from __future__ import annotations

import pytest

from zhiheng.core import clock
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import DAY, build_matters_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def bw(world):
    with clock.frozen(clock.at(DAY, 9)):
        yield build_matters_world(world)


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()["error"]
    assert set(body) == {"rule", "message", "detail"}
    return body


def submit(api_client, w, **fields):
    body = {"unit": w.unit.code, "power": "procurement", "title": "采购", "counterparty": "某公司", **fields}
    return api_client.as_(w.staff).post("/api/v1/matters", body)


@pytest.mark.parametrize(
    "amount",
    [
        "1e309",
        "1" + "0" * 30,
        10**30,
        "-1e-400",
        "Infinity",
        "NaN",
        "1e5",  # exponent notation is not a decimal string of yuan
        True,
        False,
        "１２３",  # full-width digits
        "١٢٣",  # Arabic-Indic digits
        "12.345",
        " ",
        [],
        {},
        12.5,
    ],
)
def test_amounts_that_are_not_yuan_are_refused(api_client, bw, amount):
    body = assert_error_shape(submit(api_client, bw, amount=amount), 422)
    assert body["rule"] == "validation"
    assert not Matter.objects.exists()


@pytest.mark.parametrize("title", ["采购\x00设备", "a" * 201, "   "])
def test_titles_with_nul_or_over_length_are_refused(api_client, bw, title):
    assert_error_shape(submit(api_client, bw, amount="100.00", title=title), 422)
    assert not Matter.objects.exists()


@pytest.mark.parametrize("offset", ["99999999999999999999", "-1", "x"])
def test_list_offsets_out_of_range_are_refused(api_client, bw, offset):
    r = api_client.as_(bw.admin).get("/api/v1/matters", {"offset": offset})
    assert_error_shape(r, 422)


def test_multipart_without_boundary_is_refused(client, api_client, bw):
    r = submit(api_client, bw, amount="100.00")
    matter_id = r.json()["id"]
    token = api_client.as_(bw.staff).token
    r = client.post(
        f"/api/v1/matters/{matter_id}/evidence",
        b"--x\r\n",
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code in (400, 413, 415, 422)
    assert_error_shape(r, r.status_code)


def test_a_body_over_the_limit_is_refused_in_the_error_shape(api_client, bw):
    r = api_client.as_(bw.staff).post_raw("/api/v1/matters", '{"title": "' + "x" * (11 * 1024 * 1024) + '"}')
    assert_error_shape(r, 413)


def test_wrong_method_answers_405_in_the_error_shape(api_client, bw):
    r = api_client.as_(bw.staff).get("/api/v1/auth/token")
    body = assert_error_shape(r, 405)
    assert body["rule"] == "validation"


@pytest.mark.parametrize("path", ["/api/v1/matters/abc/approve", "/api/v1/matters/1.5/veto", "/api/v1/nope"])
def test_malformed_and_unknown_paths_answer_in_the_error_shape_for_every_method(api_client, bw, path):
    for method, statuses in (("get", {404, 405}), ("post", {404, 422})):
        r = getattr(api_client.as_(bw.staff), method)(path)
        assert r.status_code in statuses, (method, r.status_code)  # never the CSRF page's 403
        assert_error_shape(r, r.status_code)


def test_a_newline_in_the_path_answers_404_in_the_error_shape(api_client, bw):
    assert_error_shape(api_client.as_(bw.staff).get("/api/v1/matters%0A"), 404)


@pytest.mark.parametrize("body", ["null", '"AAA"', "[null, null]", "1"])
def test_rules_endpoints_refuse_bodies_that_are_not_objects(api_client, bw, body):
    for path in (f"/api/v1/units/{bw.unit.code}/matter-rules", f"/api/v1/units/{bw.unit.code}/meeting-rules"):
        r = api_client.as_(bw.admin).post_raw(path, body)
        assert_error_shape(r, 422)


def test_meetings_take_bounded_agendas_and_candidate_lists(api_client, bw):
    base = {"unit": bw.unit.code, "kind": "party_committee", "date": "2026-03-02"}
    r = api_client.as_(bw.principal).post("/api/v1/meetings", {**base, "items": [{"title": "x"}] * 500})
    assert_error_shape(r, 422)
    many = [{"title": "人选", "candidates": [f"外部人选{i}" for i in range(2000)]}]
    assert_error_shape(api_client.as_(bw.principal).post("/api/v1/meetings", {**base, "items": many}), 422)


@pytest.mark.parametrize("value", [0, 1700000000, "0", "2026-3-2", "20260302", True])
def test_dates_are_iso_calendar_dates_only(api_client, bw, value):
    r = api_client.as_(bw.principal).post(
        f"/api/v1/units/{bw.unit.code}/division",
        {"assignments": [{"power": "finance", "deputy": bw.deputy.username}], "in_force_from": value},
    )
    assert_error_shape(r, 422)


def test_counterparty_person_is_no_oracle_of_accounts_elsewhere(api_client, bw):
    fields = {"amount": "100.00"}
    elsewhere = submit(api_client, bw, counterparty_person=bw.other_admin.username, **fields)
    unknown = submit(api_client, bw, counterparty_person="no-such-person", **fields)
    assert_error_shape(elsewhere, 422)
    assert_error_shape(unknown, 422)
    assert elsewhere.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert submit(api_client, bw, counterparty_person=bw.deputy2.username, **fields).status_code == 201


@pytest.mark.parametrize("query", [{"q": "江\x00北"}, {"district": "\x00"}, {"q\x00": "x"}])
def test_nul_in_a_query_is_refused_in_the_error_shape(api_client, bw, query):
    """PostgreSQL answered 500 ("text fields cannot contain NUL") to GET /units?q=… — found by Schemathesis."""
    assert_error_shape(api_client.as_(bw.admin).get("/api/v1/units", query), 422)
