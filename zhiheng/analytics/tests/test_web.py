"""The 成效分析 page: every reader sees the before/after headline and the charts with their tables; the
warnings chart only for who supervises; each chart's table exports to Excel; bad filters are 422."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from .conftest import BEFORE, OTHER_BEFORE, expected

PAGE = "/analytics/"


def get(client, person, path=PAGE, **params):
    client.force_login(person)
    return client.get(path, params)


def chart_ids(html: str) -> list[str]:
    return re.findall(r'data-testid="chart-([\w-]+)"', html)


def test_the_commission_reads_its_district(aw, client):
    r = get(client, aw.admin, district="testdistrict")
    assert r.status_code == 200
    html = r.content.decode()
    assert "成效分析 · 测试区" in html
    assert chart_ids(html) == [
        "before-after",
        "pilot",
        "monthly-latency",
        "signers",
        "category",
        "matters",
        "collective",
        "warnings",
    ]
    _count, median, _p90 = expected([*BEFORE, *OTHER_BEFORE])
    assert f"{median} 天" in html  # the headline: the median wait before the reform, both units
    # The chart's data and the table behind it: one row per unit, its reform date.
    spec = json.loads(
        re.search(r'<script id="data-before-after" type="application/json">(.*?)</script>', html).group(1)
    )
    assert spec["categories"] == ["另一局", "测试局"]  # by code: t-other, t-unit
    assert "2012-01-02" in html and "2012-06-01" in html


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector"])
def test_the_units_team_reads_its_unit(aw, client, who):
    r = get(client, getattr(aw, who), unit="t-unit")
    assert r.status_code == 200
    ids = chart_ids(r.content.decode())
    assert ids[:2] == ["before-after", "monthly-latency"]  # one unit: no pilot comparison
    # R-GATE-7: warnings counts for the unit inspector, never for the principal or a deputy.
    assert ("warnings" in ids) == (who == "inspector")


def test_a_persons_own_scope_by_default(aw, client):
    assert "成效分析 · 测试区" in get(client, aw.admin).content.decode()
    assert "成效分析 · 测试局" in get(client, aw.principal).content.decode()


@pytest.mark.parametrize("who", ["staff", "outsider", "other_admin", "other_principal"])
def test_nobody_else_reads_it(aw, client, who):
    assert get(client, getattr(aw, who), unit="t-unit").status_code == 404


def test_bad_dates_are_422(aw, client):
    assert get(client, aw.admin, **{"from": "2012-13-01"}).status_code == 422
    assert get(client, aw.admin, **{"from": "2012-06-01", "to": "2012-01-01"}).status_code == 422


def test_each_chart_exports_its_table(aw, client):
    r = get(client, aw.admin, "/analytics/export/before-after.xlsx", district="testdistrict")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位", "试点", "改革日期（分工方案生效）")
    assert [row[0] for row in rows[1:]] == ["另一局", "测试局"]
    assert rows[2][1] == "试点" and rows[2][3] == 4  # four matters before the reform
    assert get(client, aw.admin, "/analytics/export/nothing.xlsx").status_code == 404
    # A principal's page has no warnings chart, so no warnings export either.
    assert get(client, aw.principal, "/analytics/export/warnings.xlsx", unit="t-unit").status_code == 404


def test_the_figures_are_cached_until_the_next_ledger_entry(aw, client, monkeypatch):
    """The page's figures are cached under the ledger's version: a repeated view computes nothing again, and
    the first view after any entry is recomputed (every write records one, in its own transaction)."""
    from zhiheng import ledger
    from zhiheng.analytics.web import charts

    first = chart_ids(get(client, aw.admin, district="testdistrict").content.decode())
    calls = []
    real = charts._rolled_up
    monkeypatch.setattr(charts, "_rolled_up", lambda *a: calls.append(a) or real(*a))
    assert chart_ids(get(client, aw.admin, district="testdistrict").content.decode()) == first
    assert calls == []
    ledger.record("org.unit_updated", subject="unit:t-unit", payload={"unit": "t-unit"})
    get(client, aw.admin, district="testdistrict")
    assert len(calls) == 1
