"""Lists cost a constant number of queries, whatever the number of matters (ENGINEERING.md §6).

Each list is read with 5 and with 30 matters of every shape (small, collective, awaiting co-sign with
co-signers, joint review with opinions, submitted on different days so the principal's restriction is
asked per submission day) and must cost the same, and no more than a fixed ceiling. The Viewer's
answers are checked against the authority they cache (powers.is_restricted, selectors.joint_panel).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiheng.core import clock
from zhiheng.matters import rules, selectors
from zhiheng.matters.models import Cosign, JointOpinion, Matter
from zhiheng.matters.tests.conftest import small_matter
from zhiheng.matters.viewer import Viewer
from zhiheng.powers.selectors import is_restricted
from zhiheng.risk import services as risk_services

pytestmark = pytest.mark.django_db

LIST_CEILING = 14  # auth + visibility + count + page + prefetches + the viewer's few reads
PAGE_CEILING = 18  # + session, user, the unit, and the effective rules panel


def make_matters(w, n: int) -> None:
    """n matters cycling through the shapes the lists render, spread over n submission days."""
    shapes = []
    for i in range(n):
        at = clock.at(dt.date(2026, 3, 1) - dt.timedelta(days=i), 10)
        shape = i % 5
        m = Matter(
            unit=w.unit,
            title=f"事项{i}",
            submitted_by=w.staff if (i // 5) % 2 == 0 else w.staff2,  # staff has every shape
            submitted_at=at,
            amount=Decimal("1000.00") * (i + 1),
        )
        if shape == 0:  # small finance matter waiting for its deputy
            m.power, m.kind, m.deputy, m.state, m.budget_line = (
                w.power["finance"],
                "expenditure",
                w.deputy,
                "submitted",
                w.office,
            )
        elif shape == 1:  # collective review
            m.power, m.kind, m.deputy, m.state = (
                w.power["finance"],
                "expenditure",
                w.deputy,
                "collective_review",
            )
            m.requires_collective, m.collective_reasons = True, ["threshold"]
        elif shape == 2:  # awaiting co-sign
            m.power, m.kind, m.deputy, m.state = (
                w.power["procurement"],
                "purchase",
                w.deputy2,
                "awaiting_cosign",
            )
        elif shape == 3:  # joint review under way
            m.power, m.kind, m.deputy, m.state = (
                w.power["admin-enforcement"],
                "penalty",
                w.deputy3,
                "joint_review",
            )
            m.requires_joint_review = True
        else:  # approved, general power
            m.power, m.kind, m.deputy, m.state = w.power["general"], "other", w.deputy3, "approved"
        m.category = m.power.category.code
        m.restricted = is_restricted(m.power, clock.local_date(at))  # frozen at submission, as submit() does
        shapes.append(m)
    made = Matter.objects.bulk_create(shapes)
    Cosign.objects.bulk_create(
        Cosign(matter=m, signer=s, role=r)
        for m in made
        if m.state == "awaiting_cosign"
        for s, r in ((w.deputy2, "deputy"), (w.deputy, "finance_deputy"), (w.inspector, "inspector"))
    )
    JointOpinion.objects.bulk_create(
        JointOpinion(matter=m, member=w.legal, role="legal_officer", opinion="agree")
        for m in made
        if m.state == "joint_review"
    )
    for m in made:
        risk_services.raise_warning(
            rule="RF1", level="high", unit=w.unit, subject=m.subject, explanation="x", records=[]
        )


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def constant(mw, read, ceiling: int = LIST_CEILING) -> int:
    """Queries of `read()` with 5 matters (one of each shape), then with 30: equal, under the ceiling."""
    make_matters(mw, 5)
    read()  # warm up: the first request of a session may touch the token or session once
    few = count(read)
    make_matters(mw, 25)
    assert Matter.objects.count() == 30
    many = count(read)
    assert few == many, (few, many)
    assert many <= ceiling, many
    return many


PERSONAS = ["principal", "deputy", "deputy3", "inspector", "admin", "staff", "legal"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_matters_api_list_is_constant(mw, api_client, persona, django_assert_max_num_queries):
    api = api_client.as_(getattr(mw, persona))

    def read():
        r = api.get("/api/v1/matters", {"limit": 100})
        assert r.status_code == 200
        return r

    constant(mw, read)
    with django_assert_max_num_queries(LIST_CEILING):
        body = read().json()
    assert body["count"] == len(body["items"]) > 0


def test_actions_in_the_list_match_the_one_by_one_answers(mw, api_client):
    make_matters(mw, 10)
    for persona in PERSONAS:
        person = getattr(mw, persona)
        listed = api_client.as_(person).get("/api/v1/matters", {"limit": 100}).json()["items"]
        for item in listed:
            one = Matter.objects.get(pk=item["id"])
            assert item["actions"] == rules.actions_for(person, one), (persona, item["id"])


def test_inbox_api_is_constant(mw, api_client):
    api = api_client.as_(mw.deputy)
    constant(mw, lambda: api.get("/api/v1/matters/inbox", {"limit": 100}))
    assert api.get("/api/v1/matters/inbox").json()["count"] > 0


@pytest.mark.parametrize(
    ("persona", "path"), [("principal", "/matters/units/t-unit/"), ("deputy", "/matters/inbox/")]
)
def test_pages_are_constant(mw, client, persona, path):
    client.force_login(getattr(mw, persona))

    def read():
        r = client.get(path)
        assert r.status_code == 200
        return r

    constant(mw, read, PAGE_CEILING)
    assert "事项" in read().content.decode()


def test_warnings_api_is_constant_and_paginates(mw, api_client, django_assert_max_num_queries):
    api = api_client.as_(mw.admin)
    constant(mw, lambda: api.get("/api/v1/warnings", {"limit": 100}))
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/warnings", {"limit": 5, "offset": 5}).json()
    assert body["count"] == 30 and len(body["items"]) == 5


def test_warnings_page_is_constant(mw, client):
    client.force_login(mw.inspector)
    constant(mw, lambda: client.get("/warnings/"), PAGE_CEILING)


def test_viewer_restriction_agrees_with_powers(mw):
    """The restriction frozen at submission (issue 9 hole 7) is what powers answered for that day."""
    make_matters(mw, 10)
    viewer = Viewer(mw.principal)
    for m in Matter.objects.select_related("power", "unit"):
        assert viewer.is_restricted(m) == m.restricted
        assert m.restricted == is_restricted(m.power, clock.local_date(m.submitted_at))


def test_viewer_panel_agrees_with_the_rules(mw):
    make_matters(mw, 5)
    viewer = Viewer(mw.deputy3)
    for m in Matter.objects.filter(requires_joint_review=True).select_related("unit"):
        assert viewer.panel(m) == selectors.joint_panel(m)
        for person in (mw.deputy3, mw.legal, mw.inspector, mw.deputy, mw.staff, mw.principal):
            assert Viewer(person).on_panel(m) == (person.pk in selectors.joint_panel(m))


def test_one_matter_and_one_approval_are_bounded(mw, api_client, django_assert_max_num_queries):
    make_matters(mw, 10)
    m = small_matter(mw)
    api = api_client.as_(mw.deputy)
    api.get(f"/api/v1/matters/{m.pk}")  # warm up
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/matters/{m.pk}").status_code == 200
    # lock, authorize, reserve, write, ledger append (head, entry, node, head), history, then the answer
    with django_assert_max_num_queries(22):
        assert api.post(f"/api/v1/matters/{m.pk}/approve", {}).status_code == 200
