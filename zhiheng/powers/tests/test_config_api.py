"""The district's configuration endpoints (R-DIV-2..5, R-ORG-3): shapes, persona matrix, and that a
refusal changes nothing and writes no ledger entry."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.ledger.models import Entry
from zhiheng.powers import selectors
from zhiheng.powers.models import IncompatiblePair

from .conftest import DAY, REFUSED
from .conftest import config_snapshot as snapshot

pytestmark = pytest.mark.django_db

D = "/api/v1/districts/testdistrict"
U = "/api/v1/units/t-unit"


def assert_matrix(pw, api_client, call, rule: str):
    """Every persona but the admin is refused with the exact status and rule; nothing changes."""
    for persona, status in REFUSED.items():
        before = snapshot()
        r = call(api_client.as_(getattr(pw, persona)))
        assert r.status_code == status, (persona, r.content)
        assert r.json()["error"]["rule"] == (rule if status == 403 else "not-found"), persona
        assert snapshot() == before, persona


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("policy-templates", "R-DIV-3"),
        ("incompatible-pairs", "R-DIV-4"),
        ("filing-deadlines", "R-DIV-5"),
        ("categories", "R-DIV-2"),
    ],
)
def test_district_lists_are_the_admins(pw, api_client, path, rule):
    r = api_client.as_(pw.admin).get(f"{D}/{path}")
    assert r.status_code == 200
    assert set(r.json()) == {"count", "items"}
    assert_matrix(pw, api_client, lambda api: api.get(f"{D}/{path}"), rule)
    assert api_client.as_(pw.admin).get("/api/v1/districts/nowhere/categories").status_code == 404


def test_create_template_and_a_new_version(pw, api_client):
    body = {
        "code": "test-4",
        "name": "四不直接分管",
        "restricted": ["finance", "personnel", "procurement", "construction"],
        "x_choice": False,
        "effective_from": "2026-04-01",
    }
    assert_matrix(pw, api_client, lambda api: api.post(f"{D}/policy-templates", body), "R-DIV-3")
    before = Entry.objects.count()
    r = api_client.as_(pw.admin).post(f"{D}/policy-templates", body)
    assert r.status_code == 201, r.content
    assert r.json() == {
        "code": "test-4",
        "version": 1,
        "name": "四不直接分管",
        "description": "",
        "district": "testdistrict",
        "restricted": ["construction", "finance", "personnel", "procurement"],
        "x_choice": False,
        "effective_from": "2026-04-01",
    }
    assert Entry.objects.count() == before + 1
    assert Entry.objects.order_by("-index").first().event_type == "powers.template_versioned"
    assert api_client.as_(pw.admin).post(f"{D}/policy-templates", body).json()["error"]["rule"] == "R-DIV-3"

    version = {"restricted": ["finance", "personnel"], "x_choice": True, "effective_from": "2026-05-01"}
    assert_matrix(
        pw, api_client, lambda api: api.post(f"{D}/policy-templates/test-4/versions", version), "R-DIV-3"
    )
    r = api_client.as_(pw.admin).post(f"{D}/policy-templates/test-4/versions", version)
    assert r.status_code == 201
    assert (r.json()["version"], r.json()["name"], r.json()["x_choice"]) == (2, "四不直接分管", True)
    listed = api_client.as_(pw.admin).get(f"{D}/policy-templates").json()["items"]
    assert [(t["code"], t["version"]) for t in listed if t["code"] == "test-4"] == [
        ("test-4", 2),
        ("test-4", 1),
    ]
    # city-wide templates are not a district's to version (403), unknown ones 404
    r = api_client.as_(pw.admin).post(f"{D}/policy-templates/jiangbei-3x/versions", version)
    assert (r.status_code, r.json()["error"]["rule"]) == (403, "R-DIV-3")
    assert api_client.as_(pw.admin).post(f"{D}/policy-templates/nope/versions", version).status_code == 404


def test_template_input_is_validated_never_a_500(pw, api_client):
    api = api_client.as_(pw.admin)
    bad_code = {"code": "Bad Code", "name": "x", "restricted": ["finance"], "effective_from": "2026-04-01"}
    assert api.post(f"{D}/policy-templates", bad_code).status_code == 422
    unknown = {**bad_code, "code": "ok-code", "restricted": ["nope"]}
    r = api.post(f"{D}/policy-templates", unknown)
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "validation")
    assert api.post(f"{D}/policy-templates", {**unknown, "restricted": []}).status_code == 422


def test_unit_policy_change_is_a_dated_act_and_changes_restriction(pw, api_client):
    body = {
        "template": "jiangbei-3x",
        "x_categories": ["construction", "admin_approval"],
        "in_force_from": "2026-03-02",
    }
    assert_matrix(pw, api_client, lambda api: api.post(f"{U}/policy", body), "R-DIV-3")
    before = Entry.objects.count()
    r = api_client.as_(pw.admin).post(f"{U}/policy", {**body, "x_categories": []})
    assert r.status_code == 201, r.content
    assert r.json()["restricted_categories"] == ["finance", "personnel", "procurement"]
    assert (r.json()["in_force_from"], r.json()["recorded_by"]) == ("2026-03-02", pw.admin.username)
    assert Entry.objects.count() == before + 1
    construction = selectors.get_power(pw.unit, "construction")
    assert selectors.is_restricted(construction, DAY) is False
    assert selectors.is_restricted(construction, DAY - dt.timedelta(days=1)) is True  # history unchanged
    # the same date twice is a conflict; a past date is refused
    r = api_client.as_(pw.admin).post(f"{U}/policy", body)
    assert (r.status_code, r.json()["error"]["rule"]) == (409, "R-DIV-3")
    r = api_client.as_(pw.admin).post(f"{U}/policy", {**body, "in_force_from": "2026-03-01"})
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "R-DIV-3")
    r = api_client.as_(pw.admin).post(
        f"{U}/policy", {"template": "nanchuan-5", "x_categories": ["general"], "in_force_from": "2026-04-01"}
    )
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "R-DIV-3")
    assert api_client.as_(pw.admin).post(f"{U}/policy", {"template": "nope"}).status_code == 404


def test_unit_policy_reads_for_whoever_sees_the_unit(pw, api_client):
    for persona in ("admin", "principal", "deputy", "inspector", "staff"):
        r = api_client.as_(getattr(pw, persona)).get(f"{U}/policy")
        assert r.status_code == 200, persona
        assert (r.json()["template"], r.json()["x_categories"]) == ("jiangbei-3x", ["construction"])
        history = api_client.as_(getattr(pw, persona)).get(f"{U}/policy/history")
        assert history.json()["count"] == 1
    for persona in ("other_admin", "outsider"):
        assert api_client.as_(getattr(pw, persona)).get(f"{U}/policy").status_code == 404
        assert api_client.as_(getattr(pw, persona)).get(f"{U}/policy/history").status_code == 404
    assert api_client.as_(pw.admin).get(f"{U}/policy", {"on": "2011-12-31"}).status_code == 404


def test_pairs_add_and_retire_keep_history(pw, api_client):
    body = {"first": "personnel", "second": "construction"}
    assert_matrix(pw, api_client, lambda api: api.post(f"{D}/incompatible-pairs", body), "R-DIV-4")
    admin = api_client.as_(pw.admin)
    r = admin.post(f"{D}/incompatible-pairs", body)
    assert r.status_code == 201
    pair = r.json()
    assert (pair["first"], pair["second"], pair["added_on"], pair["active"]) == (
        "construction",
        "personnel",
        "2026-03-02",
        True,
    )
    assert admin.post(f"{D}/incompatible-pairs", body).status_code == 409
    retire = f"{D}/incompatible-pairs/{pair['id']}/retire"
    assert_matrix(pw, api_client, lambda api: api.post(retire, {"on": "2026-04-01"}), "R-DIV-4")
    before = Entry.objects.count()
    r = admin.post(retire, {"on": "2026-04-01"})
    assert (r.status_code, r.json()["retired_on"], r.json()["active"]) == (200, "2026-04-01", True)
    assert Entry.objects.order_by("-index").first().event_type == "powers.incompatible_pair_retired"
    assert Entry.objects.count() == before + 1
    assert admin.post(retire).status_code == 409
    assert admin.post(f"{D}/incompatible-pairs/999999/retire").status_code == 404
    assert ("construction", "personnel") in selectors.incompatible_pairs(pw.district, dt.date(2026, 3, 31))
    assert ("construction", "personnel") not in selectors.incompatible_pairs(pw.district, dt.date(2026, 4, 1))
    listed = admin.get(f"{D}/incompatible-pairs").json()
    assert listed["count"] == 2  # finance × procurement and the retired one: never deleted
    # re-adding after retirement is a new dated row
    assert admin.post(f"{D}/incompatible-pairs", {**body, "on": "2026-05-01"}).status_code == 201
    assert IncompatiblePair.objects.filter(first__code="construction").count() == 2


def test_deadlines_and_categories(pw, api_client):
    body = {"label": "2026年度", "opens_on": "2026-03-01", "due": "2026-03-31"}
    assert_matrix(pw, api_client, lambda api: api.post(f"{D}/filing-deadlines", body), "R-DIV-5")
    admin = api_client.as_(pw.admin)
    r = admin.post(f"{D}/filing-deadlines", body)
    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("label", "opens_on", "due")} == body
    assert admin.post(f"{D}/filing-deadlines", body).status_code == 409
    r = admin.post(f"{D}/filing-deadlines", {**body, "opens_on": "2026-04-01"})
    assert (r.status_code, r.json()["error"]["rule"]) == (422, "validation")
    assert admin.get(f"{D}/filing-deadlines").json()["count"] == 1

    cat = {"code": "land", "name": "土地出让"}
    assert_matrix(pw, api_client, lambda api: api.post(f"{D}/categories", cat), "R-DIV-2")
    r = admin.post(f"{D}/categories", cat)
    assert r.status_code == 201
    assert r.json() == {"code": "land", "name": "土地出让", "is_common": False, "district": "testdistrict"}
    assert admin.post(f"{D}/categories", cat).status_code == 409
    codes = [c["code"] for c in admin.get(f"{D}/categories", {"limit": 50}).json()["items"]]
    assert "land" in codes
    # the far district does not see this district's category
    far = api_client.as_(pw.other_admin).get("/api/v1/districts/fardistrict/categories", {"limit": 50})
    assert "land" not in [c["code"] for c in far.json()["items"]]
