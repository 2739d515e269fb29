"""Pages of the district's configuration: persona matrix for every page and form, refusals change
nothing and write no ledger entry; the admin's changes are dated ledger acts."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.ledger.models import Entry
from zhiheng.powers import selectors
from zhiheng.powers.models import IncompatiblePair, PolicyTemplate

from .conftest import DAY, REFUSED, set_policy
from .conftest import config_snapshot as snapshot

pytestmark = pytest.mark.django_db
PASSWORD = "zhiheng-test-pass"
CONF = "/powers/districts/testdistrict/config/"
POLICY = "/powers/units/t-unit/policy/"


def as_(client, person):
    client.logout()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def pair_id(pw):
    return IncompatiblePair.objects.get(district=pw.district).pk


# (method, path, data, rule) — every page and form of the configuration
def pages(pw):
    return [
        ("get", CONF, None, "R-DIV-3"),
        ("post", CONF + "templates/", {"code": "t-4", "name": "四", "restricted": ["finance"]}, "R-DIV-3"),
        ("post", CONF + "templates/jiangbei-3x/versions/", {"restricted": ["finance"]}, "R-DIV-3"),
        ("post", CONF + "pairs/", {"first": "personnel", "second": "construction"}, "R-DIV-4"),
        ("post", CONF + f"pairs/{pair_id(pw)}/retire/", {}, "R-DIV-4"),
        (
            "post",
            CONF + "deadlines/",
            {"label": "轮", "opens_on": "2026-03-01", "due": "2026-03-31"},
            "R-DIV-5",
        ),
        ("post", CONF + "categories/", {"code": "land", "name": "土地出让"}, "R-DIV-2"),
        ("get", POLICY, None, "R-DIV-3"),
        ("post", POLICY, {"template": "nanchuan-5@1", "in_force_from": str(DAY)}, "R-DIV-3"),
        ("post", POLICY + "preview/", {"template": "nanchuan-5@1"}, "R-DIV-3"),
    ]


def test_every_page_refuses_everyone_but_the_districts_admins(pw, client):
    for method, path, data, rule in pages(pw):
        for persona, status in REFUSED.items():
            before = snapshot()
            r = getattr(as_(client, getattr(pw, persona)), method)(path, data or {})
            assert r.status_code == status, (path, persona)
            if status == 403:
                assert f'data-rule="{rule}"' in r.content.decode(), (path, persona)
            assert snapshot() == before, (path, persona)
    client.logout()
    assert client.get(CONF).status_code == 302  # to the login page


def test_the_admin_configures_the_district(pw, client):
    api = as_(client, pw.admin)
    page = api.get(CONF).content.decode()
    assert 'data-template="jiangbei-3x"' in page and 'data-pair="finance-procurement"' in page
    before = Entry.objects.count()
    forms = [
        (CONF + "templates/", {"code": "t-4", "name": "四不", "restricted": ["finance", "construction"]}),
        (CONF + "templates/t-4/versions/", {"restricted": ["finance"], "x_choice": "1"}),
        (CONF + "pairs/", {"first": "personnel", "second": "construction"}),
        (CONF + f"pairs/{pair_id(pw)}/retire/", {}),
        (CONF + "deadlines/", {"label": "2026年度", "opens_on": "2026-03-01", "due": "2026-03-31"}),
        (CONF + "categories/", {"code": "land", "name": "土地出让"}),
    ]
    for path, data in forms:
        r = api.post(path, data)
        assert r.status_code == 302 and r.url == CONF, (path, r.content[:300])
    assert Entry.objects.count() == before + len(forms)  # each change a ledger act
    assert [t.version for t in PolicyTemplate.objects.filter(code="t-4")] == [2, 1]
    retired = IncompatiblePair.objects.get(first__code="finance")
    assert retired.retired_on == DAY and retired.retired_by == pw.admin
    assert selectors.incompatible_pairs(pw.district, DAY) == [("construction", "personnel")]
    page = api.get(CONF).content.decode()
    assert 'data-pair="finance-procurement" data-active="0"' in page  # kept, shown as retired
    assert "土地出让" in page and "2026年度" in page


def test_bad_input_is_a_refusal_not_a_500(pw, client):
    api = as_(client, pw.admin)
    before = snapshot()
    r = api.post(CONF + "deadlines/", {"label": "轮", "opens_on": "soon", "due": "2026-03-31"})
    assert (r.status_code, 'data-rule="validation"' in r.content.decode()) == (422, True)
    r = api.post(CONF + "templates/", {"code": "t-9", "name": "x", "restricted": ["nope"]})
    assert r.status_code == 422
    r = api.post(CONF + "pairs/", {"first": "finance", "second": "procurement"})
    assert (r.status_code, 'data-rule="R-DIV-4"' in r.content.decode()) == (409, True)
    r = api.post(POLICY, {"template": "nanchuan-5@1", "in_force_from": "2026-03-01"})
    assert (r.status_code, 'data-rule="R-DIV-3"' in r.content.decode()) == (422, True)
    assert api.post(CONF + "templates/nope/versions/", {"restricted": ["finance"]}).status_code == 404
    assert api.post(CONF + "pairs/999999/retire/").status_code == 404
    assert snapshot() == before


def test_the_admin_changes_a_units_x_choice_and_the_restricted_list_follows(pw, client):
    api = as_(client, pw.admin)
    page = api.get(POLICY).content.decode()
    assert '<li data-power="construction">' in page
    preview = api.post(POLICY + "preview/", {"template": "jiangbei-3x@1"}, HTTP_HX_REQUEST="true")
    assert 'data-power="construction"' not in preview.content.decode()
    assert 'data-power="finance"' in preview.content.decode()
    before = Entry.objects.count()
    r = api.post(POLICY, {"template": "jiangbei-3x@1", "in_force_from": str(DAY)})
    assert r.status_code == 302
    assert Entry.objects.count() == before + 1
    page = api.get(POLICY).content.decode()
    assert '<li data-power="construction">' not in page and '<li data-power="finance">' in page
    construction = selectors.get_power(pw.unit, "construction")
    assert selectors.is_restricted(construction, DAY - dt.timedelta(days=1))  # history kept
    assert not selectors.is_restricted(construction, DAY)
    assert selectors.policy_history(pw.unit).count() == 2


def test_links_from_the_district_and_unit_pages(pw, client):
    api = as_(client, pw.admin)
    assert CONF in api.get("/org/districts/testdistrict/").content.decode()
    assert POLICY in api.get("/org/units/t-unit/").content.decode()
    assert POLICY not in as_(client, pw.principal).get("/org/units/t-unit/").content.decode()


def test_the_config_page_reads_in_bounded_queries(pw, client, django_assert_max_num_queries):
    """Policies of every unit come from one query (+ prefetch), not one per unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhiheng.org.tests.factories import UnitFactory

    api = as_(client, pw.admin)
    with CaptureQueriesContext(connection) as few:
        assert api.get(CONF).status_code == 200
    for i in range(6):
        unit = UnitFactory(code=f"t-more{i}", name=f"更多{i}", district=pw.district)
        set_policy(
            pw,
            "jiangbei-3x",
            by=None,
            unit=unit,
            x_categories=["construction"],
            in_force_from=dt.date(2012, 1, 1),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = api.get(CONF).content.decode()
    assert page.count("data-unit=") == 8
