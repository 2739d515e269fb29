"""The 工作台 page per persona (issue 13): what each sees first, that every count links to a list that opens
for them, that charts come with their table and no inline script, and that the page costs the same number
of queries with 5 matters or 50."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiheng.core import clock
from zhiheng.matters.tests.conftest import DAY

from .conftest import add_small_matters

pytestmark = pytest.mark.django_db
PERSONAS = ["admin", "principal", "deputy", "inspector", "staff", "group"]


def home(client, person) -> str:
    client.force_login(person)
    with clock.frozen(clock.at(DAY, 11)):
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def tile_links(page: str) -> dict[str, str]:
    return {
        key: html.unescape(url)
        for url, key in re.findall(r'<a class="wb-tile[^"]*" href="([^"]+)" data-testid="tile-([^"]+)"', page)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_count_links_to_a_page_that_opens_for_the_persona(client, wb, persona):
    person = getattr(wb, persona)
    page = home(client, person)
    links = tile_links(page)
    assert links, persona
    for key, url in links.items():
        if url.startswith("#"):
            assert f'id="{url[1:]}"' in page, (key, url)
            continue
        with clock.frozen(clock.at(DAY, 11)):
            assert client.get(url).status_code == 200, (persona, key, url)


def test_admin_page_shows_the_district_with_links_to_filtered_lists(client, wb):
    page = home(client, wb.admin)
    links = tile_links(page)
    assert links["admin-testdistrict-warnings-high"] == "/warnings/?status=open&level=high"
    assert links["admin-testdistrict-plans-missing"] == "/powers/districts/testdistrict/board/?status=missing"
    assert "采购执法记录仪" in page and "等待签字最久的事项" in page
    # The filtered warnings page shows the high warning and nothing else.
    listed = client.get("/warnings/?status=open&level=high&unit=t-unit").content.decode()
    assert "试图对不直接分管的事项执行" in listed
    for url in ("/warnings/?status=open&level=low", "/warnings/?status=open&unit=t-other"):
        assert "试图对不直接分管的事项执行" not in client.get(url).content.decode(), url


def test_admin_follows_missing_plans_to_the_board_filtered_to_them(client, wb):
    import datetime as dt

    from zhiheng.powers.services.policy import set_deadline

    with clock.frozen(clock.at(DAY, 9)):
        set_deadline(
            by=None,
            district=wb.district,
            label="2026年度分工方案报送",
            opens_on=DAY,
            due=DAY + dt.timedelta(30),
        )
    page = home(client, wb.admin)
    # t-unit filed its plan in 2012, before this round: both units are missing in it.
    assert re.search(r'<strong class="wb-count">2</strong><span>分工方案未报送', page)
    board = client.get("/powers/districts/testdistrict/board/?status=missing").content.decode()
    assert board.count('data-status="missing"') == 2
    assert (
        client.get("/powers/districts/testdistrict/board/?status=late").content.decode().count("data-status=")
        == 0
    )


def test_principal_page_never_shows_a_warning_about_themself(client, wb):
    page = home(client, wb.principal)
    assert 'data-testid="wb-principal-t-unit"' in page
    assert "一把手 张一把" not in page  # the RF1 explanation names them
    assert "预警" not in re.sub(r"<header.*?</header>", "", page, flags=re.S)
    assert "/warnings/" not in re.sub(r"<header.*?</header>", "", page, flags=re.S)
    links = tile_links(page)
    assert links["principal-t-unit-state-vetoed"] == "/matters/units/t-unit/?state=vetoed"


def test_principal_follows_a_deputy_count_to_that_deputys_matters(client, wb):
    page = home(client, wb.principal)
    assert "/matters/units/t-unit/?deputy=t-deputy2" in page
    listed = client.get("/matters/units/t-unit/?deputy=t-deputy2").content.decode()
    assert "采购执法记录仪" in listed and "支付会议室租金" not in listed


def test_deputy_of_another_unit_is_shown_nothing_of_this_one(client, wb):
    from zhiheng.org.tests.factories import MembershipFactory, PersonFactory

    other = PersonFactory(username="t-other-deputy", name="他局副职")
    MembershipFactory(
        person=other, unit=wb.other_unit, role="deputy", start=wb.deputy.memberships.get().start
    )
    page = home(client, other)
    for text in ("测试局", "采购执法记录仪", "支付会议室租金", "研究年度采购计划"):
        assert text not in page, text


def test_inspection_group_may_walk_into_the_open_meeting_from_its_page(client, wb):
    page = home(client, wb.group)
    assert f'action="/meetings/{wb.meeting.pk}/observe/"' in page
    assert "测试局" in page and "另一局" in page
    assert "远方区" not in page


def test_charts_come_as_json_with_a_table_and_no_inline_script(client, wb):
    page = home(client, wb.principal)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    for attrs, body in scripts:
        if body.strip():
            assert 'type="application/json"' in attrs, attrs  # data, never code
            json.loads(body)
    assert "/static/workbench/vendor/echarts-5.6.0.min.js" in page and "/static/workbench/charts.js" in page
    assert page.count('class="wb-chart"') == page.count('class="wb-table"') >= 1
    assert "¥250,000.00" in page  # the chart's table shows the amounts exactly


def test_inspector_page_links_the_principals_attempt_to_its_matter(client, wb):
    page = home(client, wb.inspector)
    assert f'href="/matters/{wb.attempted.pk}/">查看事项</a>' in page
    with clock.frozen(clock.at(DAY, 11)):
        assert client.get(f"/matters/{wb.attempted.pk}/").status_code == 200


def test_someone_without_a_role_is_told_so(client, wb):
    page = home(client, wb.outsider)
    assert "暂无可见单位" in page and "wb-section" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_costs_the_same_queries_with_5_or_50_matters(client, wb, persona):
    person = getattr(wb, persona)
    client.force_login(person)

    def count() -> int:
        with clock.frozen(clock.at(DAY, 11)), CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    with clock.frozen(clock.at(DAY, 10)):
        add_small_matters(wb, 5)
    few = count()
    with clock.frozen(clock.at(DAY, 10)):
        add_small_matters(wb, 45, start=5)
    many = count()
    assert many <= few, (persona, few, many)
    assert few < 60, few
