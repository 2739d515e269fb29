"""Lists cost a constant number of queries, whatever the number of matters (ENGINEERING.md §6).

Each list is read with 5 and with 30 matters of every shape (small, collective, awaiting co-sign with
co-signers, joint review with opinions, submitted on different days so the principal's restriction is
asked per submission day) and must cost the same, and no more than a fixed ceiling; the matters list
and a unit's matters page also with 5 and 50 (issue 12). The Viewer's answers are checked against the
authority they cache (powers.is_restricted, selectors.joint_panel), and R-MAT-8 visibility, now a
filter on ids, against the OR-of-joins query it replaced, over randomized worlds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.matters import rules, selectors
from zhiheng.matters.models import Cosign, JointOpinion, Matter
from zhiheng.matters.tests.conftest import small_matter
from zhiheng.matters.viewer import Viewer
from zhiheng.org.models import Membership, Role
from zhiheng.org.selectors import administered_districts, current
from zhiheng.org.tests.factories import MembershipFactory, PersonFactory, UnitFactory
from zhiheng.parameters.selectors import units_setting
from zhiheng.parameters.tests.factories import put
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


# ---------------------------------------------------------------- issue 12: 5 and 50, and the old query


@pytest.mark.parametrize("persona", ["admin", "principal", "deputy", "staff"])
def test_list_and_unit_page_do_not_grow_from_5_to_50(
    mw, api_client, client, persona, django_assert_num_queries
):
    """The API list and the unit's matters page cost the same number of queries with 5 matters and with
    50 (all on one page), for each role that reads them."""
    person = getattr(mw, persona)
    api = api_client.as_(person)
    client.force_login(person)

    def list_ids() -> list[int]:
        r = api.get("/api/v1/matters", {"limit": 50})
        assert r.status_code == 200
        return [item["id"] for item in r.json()["items"]]

    def page() -> str:
        r = client.get("/matters/units/t-unit/")
        assert r.status_code == 200
        return r.content.decode()

    make_matters(mw, 5)
    list_ids(), page()  # warm up: the first request of a session may touch the token or session once
    few_list, few_page = count(list_ids), count(page)
    make_matters(mw, 45)
    visible = set(selectors.visible_matters(person).values_list("pk", flat=True))
    assert len(visible) >= (50 if persona != "staff" else 25)
    with django_assert_num_queries(few_list):
        listed = list_ids()
    assert set(listed) == visible and len(listed) == min(len(visible), 50)
    with django_assert_num_queries(few_page):
        html = page()
    assert all(f'data-matter="{pk}"' in html for pk in listed)
    assert few_list <= LIST_CEILING and few_page <= PAGE_CEILING


def old_visible_matters(person: Person) -> QuerySet[Matter]:
    """The oracle: R-MAT-8 as selectors.visible_matters answered it before issue 12 — an OR of six
    conditions over joins, made unique with DISTINCT."""
    day = clock.today()
    terms = current(Membership.objects.filter(person=person), day)
    team_units = terms.filter(role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]).values("unit_id")
    admin_of = administered_districts(person, day).values("pk")
    legal_of = units_setting("matters", "legal_officer", person.pk)
    return Matter.objects.filter(
        Q(unit_id__in=team_units)
        | Q(unit__district__in=admin_of)
        | Q(submitted_by=person)
        | Q(deputy=person)
        | Q(cosigns__signer=person)
        | Q(unit_id__in=legal_of, requires_joint_review=True)
    ).distinct()


def randomized_world(mw, rng: random.Random) -> list[Person]:
    """Matters in three units (two in the district, one far away) with random submitters, deputies,
    co-signers (signed or not) and joint reviews, seen by the whole cast plus people whose terms ended
    or have not begun, a second unit's legal officer, and one whose legal-officer naming is to come."""
    far_unit = UnitFactory(code="t-far", name="远方局", district=mw.far_district)
    former = PersonFactory(username="t-former", name="前副职")
    MembershipFactory(
        person=former, unit=mw.unit, role="deputy", start=dt.date(2012, 1, 1), end=dt.date(2020, 1, 1)
    )
    MembershipFactory(person=former, unit=mw.other_unit, role="staff", start=dt.date(2020, 1, 2))  # signs in
    future = PersonFactory(username="t-future", name="候任局长")
    MembershipFactory(
        person=future, unit=mw.other_unit, role="inspector", start=clock.today() + dt.timedelta(days=30)
    )
    other_legal = PersonFactory(username="t-other-legal", name="另一局法制员")
    MembershipFactory(person=other_legal, unit=mw.other_unit, role="staff")
    put("matters", unit=mw.other_unit, values={"legal_officer": other_legal.pk})
    later_legal = PersonFactory(username="t-later-legal", name="将任法制员")
    MembershipFactory(person=later_legal, unit=far_unit, role="staff")
    put(
        "matters",
        unit=far_unit,
        values={"legal_officer": later_legal.pk},
        day=clock.today() + dt.timedelta(days=1),
    )
    people = [
        mw.principal, mw.deputy, mw.deputy2, mw.deputy3, mw.inspector, mw.staff, mw.staff2, mw.legal,
        mw.admin, mw.other_admin, mw.other_principal, mw.outsider, former, future, other_legal, later_legal,
    ]  # fmt: skip
    units = [mw.unit, mw.other_unit, far_unit]
    made = Matter.objects.bulk_create(
        Matter(
            unit=rng.choice(units),
            power=mw.power["general"],
            kind="other",
            title=f"随机{i}",
            submitted_by=rng.choice(people),
            deputy=rng.choice(people),
            submitted_at=clock.at(dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60)), 9),
            state=rng.choice(["submitted", "joint_review", "awaiting_cosign", "approved", "vetoed"]),
            requires_joint_review=rng.random() < 0.4,
        )
        for i in range(60)
    )
    Cosign.objects.bulk_create(
        Cosign(matter=m, signer=signer, role="deputy", signed_at=rng.choice([None, clock.now()]))
        for m in made
        for signer in rng.sample(people, rng.randrange(3))
    )
    return people


@pytest.mark.parametrize("seed", [1, 2, 3, 12])
def test_visibility_is_the_old_query_for_everyone(mw, api_client, seed):
    """R-MAT-8 is kept: for every person of a randomized world, the ids the cheap filter selects (and the
    API lists, and the list counts) are exactly the matters the old OR-of-joins query returned."""
    people = randomized_world(mw, random.Random(seed))
    for person in people:
        expected = set(old_visible_matters(person).values_list("pk", flat=True))
        assert set(selectors.visible_matters(person).values_list("pk", flat=True)) == expected, person
        viewer = Viewer(person)
        qs = selectors.list_matters_for(viewer.visibility())
        assert qs.count() == len(expected), person
        assert [m.pk for m in qs] == list(
            old_visible_matters(person).order_by("-submitted_at", "-pk").values_list("pk", flat=True)
        ), person
        for m in selectors.with_relations(qs):  # the Viewer's roles come from the same read
            assert viewer.roles(m.unit_id) == Viewer(person).roles(m.unit_id)
        body = api_client.as_(person).get("/api/v1/matters", {"limit": 500}).json()
        assert body["count"] == len(expected) and {i["id"] for i in body["items"]} == expected, person
        for pk in list(expected)[:3]:
            assert selectors.get_matter_for(person, pk).pk == pk
        hidden = Matter.objects.exclude(pk__in=expected).values_list("pk", flat=True)[:3]
        for pk in hidden:
            with pytest.raises(selectors.NotFound):
                selectors.get_matter_for(person, pk)


def test_the_answer_after_an_action_is_what_a_read_then_returns(mw, api_client):
    """The answer to an approval is the row the service wrote (not looked up again through the visibility
    filter), and it says exactly what a GET of the matter says next."""
    make_matters(mw, 5)
    m = small_matter(mw)
    api = api_client.as_(mw.deputy)
    acted = api.post(f"/api/v1/matters/{m.pk}/approve", {"comment": "同意"})
    assert acted.status_code == 200 and acted.json()["state"] == "approved"
    assert acted.json() == api.get(f"/api/v1/matters/{m.pk}").json()
    submitted = api_client.as_(mw.staff).post(
        "/api/v1/matters",
        {"unit": "t-unit", "power": "finance", "title": "买墨盒", "amount": "80", "budget_line": "office"},
    )
    assert submitted.status_code == 201
    again = api_client.as_(mw.staff).get(f"/api/v1/matters/{submitted.json()['id']}").json()
    assert submitted.json() == again
