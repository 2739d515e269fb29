"""Configurable matter rules (R-MAT-3/4/7 "per unit with district defaults"): who may set them, the
validation, the ledger act, the sources shown, and that new submissions follow them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhiheng import parameters
from zhiheng.core.errors import Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.matters import selectors, services
from zhiheng.parameters.models import ParameterVersion
from zhiheng.powers.tests.conftest import REFUSED

pytestmark = pytest.mark.django_db

UNIT_URL = "/api/v1/units/t-unit/matter-rules"
DISTRICT_URL = "/api/v1/districts/{code}/matter-rules"


def set_rules(*, by, values, **scope):
    return parameters.set_values("matters", by=by, values=values, **scope)


def rows():
    return sorted((v.pk, v.unit_id, v.district_id, str(v.values)) for v in ParameterVersion.objects.all())


def submit(w, amount):
    return services.submit(
        by=w.staff, unit=w.unit, power=w.power["finance"], title="采购", amount=amount, budget_line=w.big
    )


def test_admin_sets_district_default_then_unit_override(mw):
    before = Entry.objects.count()
    set_rules(by=mw.admin, district=mw.district, values={"collective_threshold": "30000"})
    values, sources = selectors.rules_with_sources(mw.unit)
    assert (
        values.collective_threshold == Decimal("30000.00") and sources["collective_threshold"] == "district"
    )
    assert sources["cosign_threshold"] == "default" and sources["legal_officer"] == "unit"
    assert submit(mw, "35000.00").requires_collective is True

    set_rules(
        by=mw.admin,
        unit=mw.unit,
        values={
            "collective_threshold": "40000.00",
            "cosign_roles": ["deputy", "inspector"],
            "legal_officer": "t-legal",
        },
    )
    values, sources = selectors.rules_with_sources(mw.unit)
    assert (values.collective_threshold, sources["collective_threshold"]) == (Decimal("40000.00"), "unit")
    assert values.cosign_roles == ("deputy", "inspector") and sources["cosign_roles"] == "unit"
    other, other_sources = selectors.rules_with_sources(mw.other_unit)  # same district, no override
    assert (other.collective_threshold, other_sources["collective_threshold"]) == (
        Decimal("30000.00"),
        "district",
    )
    assert submit(mw, "35000.00").requires_collective is False
    entries = list(Entry.objects.filter(index__gte=before, event_type="matter.rules_set").order_by("index"))
    assert [e.subject for e in entries] == [
        "matter-rules:district:" + mw.district.code,
        "matter-rules:unit:t-unit",
    ]
    assert entries[1].actor == "t-admin" and entries[1].recorded_at is not None
    assert '"changed"' in entries[1].text and "collective_threshold" in entries[1].text


def test_blank_field_inherits_again(mw):
    set_rules(by=mw.admin, unit=mw.unit, values={"cosign_threshold": "100000", "legal_officer": "t-legal"})
    assert selectors.rules_for(mw.unit).cosign_threshold == Decimal("100000.00")
    set_rules(by=mw.admin, unit=mw.unit, values={"legal_officer": "t-legal"})
    values, sources = selectors.rules_with_sources(mw.unit)
    assert values.cosign_threshold == Decimal("200000.00") and sources["cosign_threshold"] == "default"


def test_in_flight_matters_keep_their_requirements(mw):
    m = submit(mw, "45000.00")
    set_rules(by=mw.admin, unit=mw.unit, values={"collective_threshold": "40000", "legal_officer": "t-legal"})
    m.refresh_from_db()
    assert m.requires_collective is False  # frozen at submission (decision 0005)


@pytest.mark.parametrize(
    "persona", ["principal", "deputy", "inspector", "staff", "outsider", "other_admin", "legal"]
)
def test_only_the_districts_admins_may_set(mw, persona):
    before, entries = rows(), Entry.objects.count()
    for scope in ({"unit": mw.unit}, {"district": mw.district}):
        with pytest.raises(Forbidden) as refusal:
            set_rules(by=getattr(mw, persona), values={"collective_threshold": "1"}, **scope)
        assert refusal.value.rule == "R-MAT-3"
    assert rows() == before and Entry.objects.count() == entries


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"collective_threshold": "abc"}, {"collective_threshold"}),
        ({"cosign_threshold": "-5"}, {"cosign_threshold"}),
        ({"penalty_review_over": "0"}, {"penalty_review_over"}),
        ({"cosign_kinds": ["expenditure", "bribe"]}, {"cosign_kinds"}),
        ({"cosign_roles": ["principal"]}, {"cosign_roles"}),
        ({"cosign_roles": []}, {"cosign_roles"}),
        ({"legal_officer": "t-outsider"}, {"legal_officer"}),
        ({"legal_officer": "t-deputy"}, {"legal_officer"}),
        ({"legal_officer": "nobody", "joint_review_kinds": ["x"]}, {"legal_officer", "joint_review_kinds"}),
    ],
)
def test_invalid_values_list_every_field_and_write_nothing(mw, values, fields):
    before, entries = rows(), Entry.objects.count()
    with pytest.raises(Invalid) as refusal:
        set_rules(by=mw.admin, unit=mw.unit, values=values)
    assert set(refusal.value.detail) == fields
    assert rows() == before and Entry.objects.count() == entries


def test_a_district_default_names_no_legal_officer(mw):
    with pytest.raises(Invalid) as refusal:
        set_rules(by=mw.admin, district=mw.district, values={"legal_officer": "t-legal"})
    assert set(refusal.value.detail) == {"legal_officer"}


# ---------------------------------------------------------------- API


def test_api_admin_posts_and_everyone_in_the_unit_reads_with_sources(mw, api_client):
    r = api_client.as_(mw.admin).post(
        UNIT_URL,
        {"collective_threshold": "20000.00", "joint_review_kinds": ["penalty"], "legal_officer": "t-legal"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["override"]["collective_threshold"] == "20000.00" and body["can_edit"] is True
    assert len(body["history"]) == 1 and body["history"][0]["at"].endswith("+08:00")
    r = api_client.as_(mw.staff).get(UNIT_URL)
    assert r.status_code == 200
    eff = r.json()["effective"]
    assert eff["collective_threshold"] == {"value": "20000.00", "source": "unit"}
    assert eff["cosign_threshold"] == {"value": "200000.00", "source": "default"}
    assert eff["legal_officer"] == {"value": "t-legal", "source": "unit"}
    assert r.json()["can_edit"] is False


@pytest.mark.parametrize(("persona", "status"), REFUSED.items())
def test_api_refusals_write_nothing(mw, api_client, persona, status):
    before, entries = rows(), Entry.objects.count()
    r = api_client.as_(getattr(mw, persona)).post(UNIT_URL, {"collective_threshold": "1.00"})
    assert r.status_code == status, r.content
    assert r.json()["error"]["rule"] == ("R-MAT-3" if status == 403 else "not-found")
    r = api_client.as_(getattr(mw, persona)).post(
        DISTRICT_URL.format(code=mw.district.code), {"cosign_threshold": "1"}
    )
    assert r.status_code == 404
    assert rows() == before and Entry.objects.count() == entries


def test_api_422_lists_field_errors(mw, api_client):
    entries = Entry.objects.count()
    r = api_client.as_(mw.admin).post(UNIT_URL, {"collective_threshold": "x", "cosign_roles": ["boss"]})
    assert r.status_code == 422
    assert r.json()["error"]["rule"] == "validation"
    assert set(r.json()["error"]["detail"]) == {"collective_threshold", "cosign_roles"}
    r = api_client.as_(mw.admin).post(UNIT_URL, {"cosign_kinds": "expenditure"})
    assert r.status_code == 422 and Entry.objects.count() == entries


def test_api_district_default(mw, api_client):
    url = DISTRICT_URL.format(code=mw.district.code)
    r = api_client.as_(mw.admin).post(url, {"cosign_threshold": "150000"})
    assert r.status_code == 200 and r.json()["effective"]["cosign_threshold"]["source"] == "district"
    assert api_client.as_(mw.other_admin).get(url).status_code == 404
    eff = api_client.as_(mw.deputy).get(UNIT_URL).json()["effective"]
    assert eff["cosign_threshold"] == {"value": "150000.00", "source": "district"}


# ---------------------------------------------------------------- pages


def test_unit_matters_page_shows_effective_rules_and_sources(mw, client):
    set_rules(by=mw.admin, district=mw.district, values={"cosign_threshold": "150000"})
    client.force_login(mw.principal)
    page = client.get("/matters/units/t-unit/").content.decode()
    assert 'data-testid="effective-rules"' in page and 'data-source="district"' in page
    assert "¥150,000.00" in page


def test_admin_edits_through_the_page(mw, client):
    client.force_login(mw.admin)
    page = client.get("/matters/units/t-unit/rules/").content.decode()
    assert 'data-testid="rules-form"' in page
    r = client.post(
        "/matters/units/t-unit/rules/", {"collective_threshold": "30000", "legal_officer": "t-legal"}
    )
    assert r.status_code == 302
    assert selectors.rules_for(mw.unit).collective_threshold == Decimal("30000.00")
    entries = Entry.objects.count()
    r = client.post("/matters/units/t-unit/rules/", {"collective_threshold": "abc"})
    assert r.status_code == 422 and 'data-testid="rule-errors"' in r.content.decode()
    assert Entry.objects.count() == entries
    assert "district-rules-link" in client.get("/matters/units/t-unit/rules/").content.decode()
    assert client.get(f"/matters/districts/{mw.district.code}/rules/").status_code == 200


def test_principal_cannot_edit_through_the_page(mw, client):
    before, entries = rows(), Entry.objects.count()
    client.force_login(mw.principal)
    page = client.get("/matters/units/t-unit/rules/").content.decode()
    assert 'data-testid="matter-rules"' in page and 'data-testid="rules-form"' not in page
    r = client.post("/matters/units/t-unit/rules/", {"collective_threshold": "1"})
    assert r.status_code == 403 and "R-MAT-3" in r.content.decode()
    assert client.get(f"/matters/districts/{mw.district.code}/rules/").status_code == 404
    client.force_login(mw.other_admin)
    assert client.get("/matters/units/t-unit/rules/").status_code == 404
    assert rows() == before and Entry.objects.count() == entries
