"""The matters lists as Excel (issue 13 item 5): the page's filters and visibility, Chinese headers and
labels, money as numbers, times as date cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from zhiheng.matters import services

from .conftest import small_matter

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], rows[1:]


@pytest.fixture
def matters(mw):
    approved = small_matter(mw, title="购买打印纸", amount="1234.50")
    services.approve(by=mw.deputy, matter=approved)
    approved.refresh_from_db()
    pending = small_matter(mw, title="购买墨盒", amount="2500000.00")
    return approved, pending


def test_unit_export_has_the_pages_rows_with_typed_cells(mw, client, matters):
    approved, pending = matters
    client.force_login(mw.principal)
    r = client.get(f"/matters/units/{mw.unit.code}/export.xlsx")
    ws, header, rows = sheet(r)
    assert "测试局事项" in unquote(r["Content-Disposition"])
    assert header[:6] == ("编号", "单位", "事项", "类型", "职权", "金额（元）")
    assert "状态" in header and "提交时间" in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_id) == {approved.pk, pending.pk}
    row = by_id[pending.pk]
    assert row["事项"] == "购买墨盒" and row["金额（元）"] == 2500000
    assert by_id[approved.pk]["金额（元）"] == Decimal("1234.5")
    assert isinstance(row["提交时间"], dt.datetime)
    assert row["类型"] == "财务支出" and row["分管副职"] == mw.deputy.name
    assert by_id[approved.pk]["状态"] not in ("approved", "")
    money = ws.cell(row=2, column=header.index("金额（元）") + 1)
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    stamp = ws.cell(row=2, column=header.index("提交时间") + 1)
    assert stamp.is_date


def test_state_filter_is_the_pages(mw, client, matters):
    approved, _pending = matters
    client.force_login(mw.principal)
    _ws, _h, rows = sheet(client.get(f"/matters/units/{mw.unit.code}/export.xlsx?state={approved.state}"))
    assert [row[0] for row in rows] == [approved.pk]


def test_page_links_the_export_with_its_filters(mw, client, matters):
    client.force_login(mw.principal)
    page = client.get(f"/matters/units/{mw.unit.code}/?state=approved").content.decode()
    assert f"/matters/units/{mw.unit.code}/export.xlsx?state=approved" in page


def test_who_may_not_see_the_unit_may_not_export_it(mw, client, matters):
    client.force_login(mw.other_principal)  # the principal of another unit of the district
    assert client.get(f"/matters/units/{mw.unit.code}/export.xlsx").status_code == 404
    client.force_login(mw.outsider)
    assert client.get(f"/matters/units/{mw.unit.code}/export.xlsx").status_code == 404
    client.force_login(mw.deputy)  # a deputy of this unit: not of the other one
    assert client.get(f"/matters/units/{mw.unit.code}/export.xlsx").status_code == 200
    assert client.get(f"/matters/units/{mw.other_unit.code}/export.xlsx").status_code == 404
    _ws, _h, rows = sheet(client.get(f"/matters/export.xlsx?unit={mw.other_unit.code}"))
    assert rows == []


def test_district_list_for_the_commission_admin(mw, client, matters):
    client.force_login(mw.admin)
    _ws, _h, rows = sheet(client.get(f"/matters/export.xlsx?unit={mw.unit.code}"))
    assert len(rows) == 2
    client.force_login(mw.other_admin)
    _ws, _h, rows = sheet(client.get("/matters/export.xlsx"))
    assert rows == []


def test_deputy_filter_is_the_pages(mw, client, matters):
    client.force_login(mw.principal)
    url = f"/matters/units/{mw.unit.code}/export.xlsx"
    _ws, _h, rows = sheet(client.get(f"{url}?deputy={mw.deputy.username}"))
    assert len(rows) == 2
    _ws, _h, rows = sheet(client.get(f"{url}?deputy={mw.deputy2.username}"))
    assert rows == []
    page = client.get(f"/matters/units/{mw.unit.code}/?deputy={mw.deputy.username}").content.decode()
    assert f"{url}?deputy={mw.deputy.username}" in page
