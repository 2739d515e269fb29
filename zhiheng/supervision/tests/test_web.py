"""The pages: a unit's reports, one report (body, acknowledgement panel, 确认已阅, remarks, exports), the
commission's district month, the 工作台 tiles and the embedded mode's daily job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from zhiheng.core import clock
from zhiheng.supervision import services, tasks
from zhiheng.supervision.models import Acknowledgement, MonthlyReport, Remark

from .conftest import FEB

pytestmark = pytest.mark.django_db

LIST = "/supervision/units/t-unit/monthly-reports/"
PAGE = LIST + "2026-02/"


@pytest.fixture
def report(sw):
    return services.issue_report(unit=sw.unit, month=FEB)[0]


def as_(client, person):
    client.force_login(person)
    return client


def test_the_unit_list_shows_totals_and_acknowledgements(sw, report, client):
    services.acknowledge(report=report, by=sw.deputy)
    html = as_(client, sw.principal).get(LIST).content.decode()
    assert "2026年2月" in html and "¥91000.00" in html and "已确认 1/5" in html
    assert 'href="/supervision/units/t-unit/monthly-reports/2026-02/"' in html


def test_the_report_page_shows_the_frozen_body_and_who_acknowledged(sw, report, client):
    services.acknowledge(report=report, by=sw.deputy)
    r = as_(client, sw.principal).get(PAGE)
    html = r.content.decode()
    assert r.status_code == 200
    assert "执法记录仪采购" in html and "第3次党组会" in html
    assert 'data-testid="acknowledge"' in html and 'data-testid="export-xlsx"' in html
    assert 'data-testid="add-remark"' not in html  # the principal does not remark
    assert "已确认 1/5" in html


def test_acknowledging_from_the_page_with_htmx_returns_the_panel(sw, report, client):
    r = as_(client, sw.principal).post(PAGE + "acknowledge/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and html.lstrip().startswith('<section class="panel" id="ack-panel"')
    assert "已确认 1/5" in html and 'data-testid="acknowledge"' not in html
    assert Acknowledgement.objects.get().person == sw.principal
    r = client.post(PAGE + "acknowledge/")  # again, without htmx: a no-op and back to the page
    assert r.status_code == 302 and Acknowledgement.objects.count() == 1


def test_the_inspector_remarks_from_the_page(sw, report, client):
    html = as_(client, sw.inspector).get(PAGE).content.decode()
    assert 'data-testid="add-remark"' in html
    r = client.post(PAGE + "remarks/", {"body": "请说明慰问品的预算来源"})
    assert r.status_code == 302 and Remark.objects.get().body == "请说明慰问品的预算来源"


def test_refusals_on_the_pages(sw, report, client):
    r = as_(client, sw.staff).post(PAGE + "acknowledge/")
    assert r.status_code == 403 and Acknowledgement.objects.count() == 0
    for who in ("staff", "other_principal", "outsider"):
        as_(client, getattr(sw, who))
        assert client.get(LIST).status_code == 404, who
        assert client.get(PAGE).status_code == 404, who
        assert client.get(PAGE + "export.xlsx").status_code == 404, who
    r = as_(client, sw.admin).post(PAGE + "acknowledge/")
    assert r.status_code == 403 and "R-SUP-1" in r.content.decode()
    r = as_(client, sw.deputy).post(PAGE + "remarks/", {"body": "x"})
    assert r.status_code == 403 and Remark.objects.count() == 0
    assert as_(client, sw.principal).get(LIST + "2026-13/").status_code == 422


def test_exports_download_the_frozen_report(sw, report, client):
    r = as_(client, sw.deputy2).get(PAGE + "export.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK") and "attachment" in r["Content-Disposition"]
    r = client.get(PAGE + "export.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_the_district_month_page(sw, report, client):
    html = (
        as_(client, sw.admin)
        .get("/supervision/districts/testdistrict/monthly-reports/2026-02/")
        .content.decode()
    )
    assert "测试局" in html and "尚未生成" in html and "张一把、李副甲" in html
    assert 'id="chart-movers-testdistrict"' in html and "82.0%" in html
    assert (
        as_(client, sw.principal)
        .get("/supervision/districts/testdistrict/monthly-reports/2026-02/")
        .status_code
        == 404
    )


def test_the_workbench_tiles(sw, report, client):
    html = as_(client, sw.deputy).get("/").content.decode()
    assert 'data-testid="tile-deputy-t-unit-monthly-reports"' in html or "待确认的月度财务明细" in html
    assert PAGE in html
    html = as_(client, sw.admin).get("/").content.decode()
    assert (
        "未全部确认的月度财务明细" in html and "/supervision/districts/testdistrict/monthly-reports/" in html
    )
    assert "待确认的月度财务明细" not in as_(client, sw.staff).get("/").content.decode()


def test_the_embedded_mode_issues_the_reports_on_the_first_workbench_of_the_day(sw, client):
    tasks._last_embedded_run.clear()
    as_(client, sw.principal)
    with clock.frozen(clock.at(dt.date(2026, 3, 6), 8)):
        client.get("/")  # the tests' settings keep it off
        assert MonthlyReport.objects.count() == 0
        with override_settings(SUPERVISION_DAILY_ON_VISIT=True):
            client.get("/")
            assert MonthlyReport.objects.filter(month=FEB).count() == 2
            MonthlyReport.objects.all().delete()
            client.get("/")  # once a day per process
            assert MonthlyReport.objects.count() == 0
    tasks._last_embedded_run.clear()
