"""The plan filing board as Excel (issue 13 item 5): the board's rule and rows, Chinese labels."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from zhiheng.powers import services

from .conftest import DAY, filed_plan

pytestmark = pytest.mark.django_db


def test_board_export(pw, client):
    services.set_deadline(by=pw.admin, district=pw.district, label="2026年度", opens_on=DAY, due=DAY)
    filed_plan(pw)
    client.force_login(pw.admin)
    page = client.get(f"/powers/districts/{pw.district.code}/board/").content.decode()
    assert f"/powers/districts/{pw.district.code}/board/export.xlsx" in page
    r = client.get(f"/powers/districts/{pw.district.code}/board/export.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    ws = load_workbook(io.BytesIO(r.content)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[:4] == ("单位代码", "单位", "报送状态", "版本")
    by_unit = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_unit["t-unit"]["报送状态"] in ("按时报送", "逾期报送") and by_unit["t-unit"]["版本"] == 1
    assert by_unit["t-other"]["报送状态"] == "未报送" and by_unit["t-other"]["报送时间"] is None
    assert ws.cell(row=2, column=9).is_date and by_unit["t-unit"]["截止日期"].date() == DAY
    missing = client.get(f"/powers/districts/{pw.district.code}/board/export.xlsx?status=missing")
    header, *rows = list(load_workbook(io.BytesIO(missing.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["t-other"]


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector", "other_admin", "outsider"])
def test_only_the_commission_exports_the_board(pw, client, who):
    client.force_login(getattr(pw, who))
    assert client.get(f"/powers/districts/{pw.district.code}/board/export.xlsx").status_code == 404
