"""Pages: catalogue (SVG flowcharts, Excel import/export), editor with live re-validation, history, board."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiheng.ledger.models import Entry
from zhiheng.powers import excel, selectors, services
from zhiheng.powers.flowchart import flowchart_svg
from zhiheng.powers.models import DivisionPlan, PlanStatus, Power

from .conftest import DAY, filed_plan

pytestmark = pytest.mark.django_db
PASSWORD = "zhiheng-test-pass"


def login(client, person):
    assert client.login(username=person.username, password=PASSWORD)
    return client


def xlsx(rows, headers=excel.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_flowchart_svg_escapes_and_draws_every_step():
    svg = flowchart_svg([{"step": "受理<script>", "role": "经办人", "output": "受理单"}, {"step": "审批"}])
    assert svg.startswith("<svg") and svg.count('class="step"') == 2 and "<script>" not in svg
    assert "&lt;script&gt;" in svg and "marker-end" in svg
    assert "未登记运行流程" in flowchart_svg([])


def test_catalogue_page_shows_restriction_and_flowchart(pw, client):
    filed_plan(pw)
    r = login(client, pw.staff).get(f"/powers/units/{pw.unit.code}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "财务收支审批" in html and "<svg" in html and "《测试法》第一条" in html
    assert 'data-testid="import-form"' not in html  # staff may not import


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("other_admin", 404), ("inspector", 200)])
def test_catalogue_visibility(pw, client, who, status):
    assert login(client, getattr(pw, who)).get(f"/powers/units/{pw.unit.code}/").status_code == status


def test_excel_round_trip(pw, client):
    data = login(client, pw.staff).get(f"/powers/units/{pw.unit.code}/export.xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == excel.HEADERS and len(rows) == 6
    assert "受理|经办人|受理单" in next(r for r in rows if r[0] == "finance")[4]
    other = services.save_power(by=None, unit=pw.other_unit, code="general", name="综合", category="general")
    result = excel.import_catalogue(by=pw.other_principal, unit=pw.other_unit, data=data)
    assert len(result.rows) == 5
    copied = Power.objects.get(unit=pw.other_unit, code="finance")
    assert copied.flowchart[0] == {"step": "受理", "role": "经办人", "output": "受理单"}
    assert other.pk


def test_import_reports_every_row_error_and_writes_nothing(pw, client):
    before = (Power.objects.count(), Entry.objects.count())
    data = xlsx(
        [
            ["ok-one", "好的职权", "finance", "", "受理|经办人|单"],
            ["Bad Code", "", "nope", "", ""],
            ["ok-one", "重复", "general", "", "|角色|"],
        ]
    )
    upload = SimpleUploadedFile("c.xlsx", data)
    r = login(client, pw.principal).post(f"/powers/units/{pw.unit.code}/import/", {"file": upload})
    assert r.status_code == 422
    html = r.content.decode()
    assert html.count("<tr><td>2</td>") == 0  # row 2 was fine
    result = excel.parse_catalogue(pw.unit, data)
    assert sorted((e["row"], e["column"]) for e in result.errors) == [
        (3, "代码"),
        (3, "名称"),
        (3, "类别"),
        (4, "代码"),
        (4, "运行流程"),
    ]
    assert (Power.objects.count(), Entry.objects.count()) == before


def test_import_refuses_non_excel_and_bad_headers(pw):
    assert excel.parse_catalogue(pw.unit, b"not a workbook").errors[0]["row"] == 0
    assert excel.parse_catalogue(pw.unit, xlsx([], headers=["a", "b"])).errors[0]["row"] == 1


def test_import_by_staff_is_refused(pw, client):
    upload = SimpleUploadedFile("c.xlsx", xlsx([["x", "职权", "general", "", ""]]))
    r = login(client, pw.staff).post(f"/powers/units/{pw.unit.code}/import/", {"file": upload})
    assert r.status_code == 403
    assert not Power.objects.filter(code="x").exists()


def form(w, overrides=None):
    data = {f"power-{p}": d for p, d in w.valid}
    data.update(overrides or {})
    return data


def test_editor_live_check_and_draft(pw, client):
    c = login(client, pw.principal)
    assert c.get(f"/powers/units/{pw.unit.code}/plan/").status_code == 200
    r = c.post(
        f"/powers/units/{pw.unit.code}/plan/check/",
        form(pw, {"power-finance": pw.principal.username}),
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert 'data-kind="restricted_to_principal"' in r.content.decode()
    assert "<html" not in r.content.decode()
    assert DivisionPlan.objects.count() == 0
    r = c.post(f"/powers/units/{pw.unit.code}/plan/", form(pw, {"power-finance": pw.principal.username}))
    assert r.status_code == 422 and DivisionPlan.objects.count() == 0
    r = c.post(f"/powers/units/{pw.unit.code}/plan/", form(pw))
    assert r.status_code == 302
    plan = DivisionPlan.objects.get()
    assert r["Location"] == f"/powers/units/{pw.unit.code}/plans/{plan.version}/"
    r = c.post(f"/powers/units/{pw.unit.code}/plans/{plan.version}/file/", {"in_force_from": DAY.isoformat()})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED


@pytest.mark.parametrize("who", ["deputy", "admin", "inspector"])
def test_editor_refused_to_others(pw, client, who):
    c = login(client, getattr(pw, who))
    r = c.get(f"/powers/units/{pw.unit.code}/plan/")
    assert r.status_code == 403 and "R-DIV-5" in r.content.decode()
    assert c.post(f"/powers/units/{pw.unit.code}/plan/check/", form(pw)).status_code == 404


def test_history_diff_and_drafts_visibility(pw, client):
    filed_plan(pw)
    moved = [(p, pw.deputy.username) if p == "construction" else (p, d) for p, d in pw.valid]
    filed_plan(pw, moved, on=DAY + dt.timedelta(days=3))
    draft = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    html = login(client, pw.deputy).get(f"/powers/units/{pw.unit.code}/plans/2/").content.decode()
    assert 'data-testid="diff-table"' in html and "工程建设管理" in html
    assert (
        login(client, pw.staff).get(f"/powers/units/{pw.unit.code}/plans/{draft.version}/").status_code == 404
    )
    assert (
        login(client, pw.inspector).get(f"/powers/units/{pw.unit.code}/plans/{draft.version}/").status_code
        == 200
    )
    staff_list = login(client, pw.staff).get(f"/powers/units/{pw.unit.code}/plans/").content.decode()
    assert f'data-version="{draft.version}"' not in staff_list and 'data-version="2"' in staff_list


def test_board_page(pw, client):
    services.set_deadline(by=pw.admin, district=pw.district, label="2026年度", opens_on=DAY, due=DAY)
    filed_plan(pw)
    html = login(client, pw.admin).get(f"/powers/districts/{pw.district.code}/board/").content.decode()
    assert (
        'data-unit="t-unit" data-status="filed"' in html
        and 'data-unit="t-other" data-status="missing"' in html
    )
    assert login(client, pw.principal).get(f"/powers/districts/{pw.district.code}/board/").status_code == 404


def test_unit_page_links_to_powers(pw, client):
    html = login(client, pw.admin).get(f"/org/units/{pw.unit.code}/").content.decode()
    assert f"/powers/units/{pw.unit.code}/" in html and f"/powers/districts/{pw.district.code}/board/" in html
    assert selectors.plan_in_force(pw.unit) is None


def test_board_shows_how_early_a_plan_was_filed_and_who_filed_first(pw, client):
    """Issue 13 QA: an early filing stands out on the board (卫生局 in 南川 filed a month early)."""
    services.set_deadline(
        by=pw.admin, district=pw.district, label="2026年度", opens_on=DAY, due=DAY + dt.timedelta(days=30)
    )
    filed_plan(pw)
    html = login(client, pw.admin).get(f"/powers/districts/{pw.district.code}/board/").content.decode()
    row = html[html.index('data-unit="t-unit"') :]
    row = row[: row.index("</tr>")]
    assert "提前 30 天" in row and 'data-testid="first-filer"' in row
    assert html.index('data-unit="t-unit"') < html.index('data-unit="t-other"')  # filed before missing
