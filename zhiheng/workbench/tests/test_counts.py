"""Every count of the 工作台 that links to a matters list leads to exactly the matters it counted (issue 13
QA): the same predicate (matters.selectors) answers the count and the list behind it."""

from __future__ import annotations

import html
import re

import pytest

from zhiheng.core import clock
from zhiheng.matters import services
from zhiheng.matters.tests.conftest import DAY

from .conftest import small

pytestmark = pytest.mark.django_db


def _tiles(page: str) -> list[tuple[str, str, int]]:
    """(key, url, count) of each tile linking to a matters list."""
    found = re.findall(
        r'<a class="wb-tile[^"]*" href="([^"]+)" data-testid="tile-([^"]+)">\s*<strong class="wb-count">(\d+)',
        page,
    )
    return [(key, html.unescape(url), int(n)) for url, key, n in found if url.startswith("/matters/units/")]


def _listed(client, url: str) -> set[int]:
    with clock.frozen(clock.at(DAY, 11)):
        response = client.get(url)
    assert response.status_code == 200, url
    return {int(pk) for pk in re.findall(r'<tr data-matter="(\d+)"', response.content.decode())}


@pytest.fixture
def told(wb):
    """The stories QA found: a large matter submitted (it needs the team, nobody referred it yet), a
    matter the principal vetoed and the team then turned down, and a matter the staff withdrew."""
    with clock.frozen(clock.at(DAY, 10)):
        wb.big_waiting = services.submit(
            by=wb.staff,
            unit=wb.unit,
            power=wb.power["procurement"],
            title="采购办公家具",
            amount="300000.00",
            budget_line=wb.big,
        )
        turned_down = small(wb, "购买纪念品", "2000.00")
        services.veto(matter=turned_down, by=wb.principal, reason="不必要")
        wb.turned_down = services.apply_collective_decision(
            matter=turned_down, outcome="rejected", by=wb.principal, meeting_ref="meeting:9/item:1"
        )
        services.withdraw(matter=small(wb, "购买绿植", "600.00"), by=wb.staff)
    return wb


@pytest.mark.parametrize("persona", ["principal", "deputy", "inspector", "staff"])
def test_each_matters_count_leads_to_exactly_the_matters_it_counts(client, told, persona):
    client.force_login(getattr(told, persona))
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get("/").content.decode()
    tiles = _tiles(page)
    assert tiles, persona
    for key, url, count in tiles:
        assert len(_listed(client, url)) == count, (persona, key, url, count)


def test_collective_review_counts_lead_to_the_matters_awaiting_the_team(client, told):
    client.force_login(told.admin)
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get("/").content.decode()
    chips = dict(re.findall(r'<a href="(/matters/units/[^"]+)">[^<]+<strong>(\d+)</strong>', page))
    assert chips == {"/matters/units/t-unit/?awaiting=collective": "2"}
    listed = _listed(client, "/matters/units/t-unit/?awaiting=collective")
    assert listed == {told.vetoed.pk, told.big_waiting.pk}  # vetoed, and submitted needing the team
    client.force_login(told.inspector)
    assert _listed(client, "/matters/units/t-unit/?awaiting=collective") == listed


def test_the_principals_vetoes_lead_to_what_they_vetoed_whatever_came_of_it(client, told):
    client.force_login(told.principal)
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get("/").content.decode()
    assert dict((k, (u, n)) for k, u, n in _tiles(page))["principal-t-unit-vetoes"] == (
        "/matters/units/t-unit/?vetoed_by=me",
        2,
    )
    assert _listed(client, "/matters/units/t-unit/?vetoed_by=me") == {told.vetoed.pk, told.turned_down.pk}
    client.force_login(told.deputy)  # "me" is whoever asks: the deputy vetoed nothing
    assert _listed(client, "/matters/units/t-unit/?vetoed_by=me") == set()


def test_staff_counts_lead_to_their_own_matters(client, told):
    client.force_login(told.staff)
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get("/").content.decode()
    links = {k: u for k, u, _n in _tiles(page)}
    assert links["staff-t-unit-open"] == "/matters/units/t-unit/?mine=1&open=1"
    assert links["staff-t-unit-mine-state-submitted"] == "/matters/units/t-unit/?state=submitted&mine=1"
    listed = _listed(client, "/matters/units/t-unit/?mine=1&open=1")
    assert told.big_waiting.pk in listed and not any(
        t in _listed(client, "/matters/units/t-unit/?mine=1&open=1") for t in (told.turned_down.pk,)
    )
    # The filters survive the export: the same rows.
    with clock.frozen(clock.at(DAY, 11)):
        assert client.get("/matters/units/t-unit/export.xlsx?mine=1&open=1").status_code == 200
