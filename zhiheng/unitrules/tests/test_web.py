"""The pages through HTTP: a unit's rules by group, a rule with its versions and the diff, the forms (a
refused adoption stays on the form), the matter page showing the rules over its power, the library, and
Excel out and back in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from zhiheng.matters.tests.conftest import small_matter
from zhiheng.org.tests.factories import PASSWORD
from zhiheng.unitrules import services
from zhiheng.unitrules.excel import RULE_HEADERS
from zhiheng.unitrules.models import ModelRule, Rule

from .conftest import BODY, create, passed_item

pytestmark = pytest.mark.django_db


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


def test_the_unit_page_groups_the_rules_and_links_them(uw, client):
    create(uw)
    create(uw, "CG-01", title="采购管理制度", group="采购管理", powers=[uw.power["procurement"]])
    page = _as(client, uw.staff).get("/unitrules/units/t-unit/").content.decode()
    assert page.count('data-testid="group"') == 2 and "采购管理制度" in page
    assert 'data-testid="create"' not in page
    assert 'data-testid="create"' in _as(client, uw.deputy).get("/unitrules/units/t-unit/").content.decode()
    assert (
        'data-testid="unit-rules-links"' in _as(client, uw.staff).get("/org/units/t-unit/").content.decode()
    )
    assert _as(client, uw.outsider).get("/unitrules/units/t-unit/").status_code == 404


def test_a_rule_page_shows_its_versions_and_the_line_diff(uw, client):
    rule = create(uw)
    item = passed_item(uw, dt.date(2026, 2, 20))
    services.revise_rule(
        by=uw.deputy, rule=rule, body=BODY.replace("五万元", "三万元"), meeting=item.meeting, item=item
    )
    page = _as(client, uw.staff).get("/unitrules/units/t-unit/rules/CW-01/").content.decode()
    assert (
        'data-testid="versions"' in page and 'class="diff-delete"' in page and 'class="diff-insert"' in page
    )
    assert "三万元" in page and 'data-testid="revise"' not in page


def test_the_form_records_a_rule_and_keeps_a_refused_one(uw, client):
    item = passed_item(uw, dt.date(2026, 2, 10))
    c = _as(client, uw.principal)
    data = {
        "code": "AQ-01",
        "title": "安全检查制度",
        "group": "安全",
        "body": "第一条 检查。",
        "powers": ["finance"],
    }
    refused = c.post("/unitrules/units/t-unit/new/", data)  # no meeting, and no date before the system
    assert refused.status_code == 422 and "安全检查制度" in refused.content.decode()
    r = c.post("/unitrules/units/t-unit/new/", {**data, "adoption": f"{item.meeting_id}:{item.pk}"})
    assert r.status_code == 302 and Rule.objects.get(code="AQ-01").versions.get().item == item
    assert _as(client, uw.inspector).get("/unitrules/units/t-unit/new/").status_code == 403


def test_the_matter_page_shows_the_rules_over_its_power(uw, client):
    create(uw)
    create(uw, "CG-01", title="采购管理制度", powers=[uw.power["procurement"]])
    matter = small_matter(uw)
    page = _as(client, uw.staff).get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-testid="matter-rules"' in page and "财务管理制度" in page and "采购管理制度" not in page


def test_excel_out_and_back_in_changes_nothing_and_a_changed_row_is_a_new_version(uw, client):
    create(uw)
    c = _as(client, uw.principal)
    exported = c.get("/unitrules/units/t-unit/export.xlsx").content
    r = c.post("/unitrules/units/t-unit/import/", {"file": io.BytesIO(exported)})
    assert r.status_code == 200 and Rule.objects.get(code="CW-01").version == 1
    item = passed_item(uw, dt.date(2026, 2, 20))
    book = Workbook()
    book.active.append(RULE_HEADERS)
    book.active.append(
        ["CW-01", "财务管理", "财务管理制度", "第一条 新。", "finance", None, item.meeting_id, item.number]
    )
    book.active.append(
        ["CW-02", "财务管理", "票据管理制度", "第一条 票据。", "finance", None, None, None]
    )  # no meeting
    buffer = io.BytesIO()
    book.save(buffer)
    r = c.post("/unitrules/units/t-unit/import/", {"file": io.BytesIO(buffer.getvalue())})
    assert r.status_code == 422 and "R-PIL-2" in r.content.decode()
    assert Rule.objects.get(code="CW-01").version == 1 and not Rule.objects.filter(code="CW-02").exists()
    book.active.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    r = c.post("/unitrules/units/t-unit/import/", {"file": io.BytesIO(buffer.getvalue())})
    assert r.status_code == 200 and Rule.objects.get(code="CW-01").version == 2


def test_the_library_pages(uw, client):
    c = _as(client, uw.admin)
    r = c.post(
        "/unitrules/districts/testdistrict/new/",
        {"code": "FW-01", "title": "财务审批制度范本", "body": "第一条 范本。", "categories": ["finance"]},
    )
    assert r.status_code == 302
    model = ModelRule.objects.get()
    exported = c.get("/unitrules/districts/testdistrict/export.xlsx").content
    assert (
        c.post("/unitrules/districts/testdistrict/import/", {"file": io.BytesIO(exported)}).status_code == 200
    )
    assert ModelRule.objects.get().version == 1
    page = _as(client, uw.principal).get(f"/unitrules/models/{model.pk}/").content.decode()
    assert 'data-testid="adopt-t-unit"' in page and 'data-testid="edit"' not in page
    assert (
        'data-testid="rules-library-links"'
        in _as(client, uw.admin).get("/org/districts/testdistrict/").content.decode()
    )
