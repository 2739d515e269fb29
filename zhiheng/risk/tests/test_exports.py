"""The warnings list as Excel (issue 13 item 5): the page's filters and visibility, Chinese labels."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zhiheng.core import clock
from zhiheng.org.tests.factories import MembershipFactory, PersonFactory
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], rows[1:]


@pytest.fixture
def warnings(world):
    at = clock.at(dt.date(2026, 3, 2))
    own = Warning.objects.create(
        rule="RF1",
        level="high",
        unit=world.unit,
        subject="matter:1",
        explanation="一把手试图审批",
        created=at,
    )
    late = Warning.objects.create(
        rule="RF3", level="medium", unit=world.unit, subject="unit:t-unit", explanation="逾期报送", created=at
    )
    other = Warning.objects.create(
        rule="RF1", level="high", unit=world.other_unit, subject="matter:2", explanation="另一局", created=at
    )
    return own, late, other


def test_admin_exports_the_filtered_warnings(world, client, warnings):
    own, _late, other = warnings
    client.force_login(world.admin)
    _ws, _h, rows = rows_of(client.get(f"/warnings/export.xlsx?unit={world.other_unit.code}&level=high"))
    assert [r[0] for r in rows] == [other.pk]
    ws, header, rows = rows_of(client.get("/warnings/export.xlsx?rule=RF1&status=open"))
    assert header[:5] == ("编号", "时间", "规则", "级别", "单位")
    assert sorted(r[0] for r in rows) == sorted([own.pk, other.pk])
    row = dict(zip(header, next(r for r in rows if r[0] == own.pk), strict=True))
    assert row["级别"] == "高" and row["状态"] == "待处理" and row["单位"] == "测试局"
    assert isinstance(row["时间"], dt.datetime) and ws.cell(row=2, column=2).is_date


def test_unit_inspector_exports_only_the_units_warnings(world, client, warnings):
    own, late, _other = warnings
    client.force_login(world.inspector)
    _ws, _h, rows = rows_of(client.get("/warnings/export.xlsx"))
    assert sorted(r[0] for r in rows) == sorted([own.pk, late.pk])
    other_inspector = PersonFactory(username="t-other-inspector", name="他局纪检")
    MembershipFactory(
        person=other_inspector, unit=world.other_unit, role="inspector", start=dt.date(2012, 1, 1)
    )
    client.force_login(other_inspector)
    _ws, _h, rows = rows_of(client.get("/warnings/export.xlsx"))
    assert [r[0] for r in rows] == [warnings[2].pk]


def test_principal_exports_nothing(world, client, warnings):
    client.force_login(world.principal)
    _ws, _h, rows = rows_of(client.get("/warnings/export.xlsx"))
    assert rows == []


def test_page_links_the_export_with_its_filters(world, client, warnings):
    client.force_login(world.admin)
    page = client.get("/warnings/?rule=RF1&status=open&level=high").content.decode()
    assert "/warnings/export.xlsx?rule=RF1&amp;status=open&amp;level=high" in page
