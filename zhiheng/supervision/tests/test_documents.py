"""The monthly report's documents (R-SUP-1, issue 14) from its frozen copy: the Excel workbook (detail and
totals sheets, typed money, flagged rows filled, set up for A4), the PDF (letterhead, every item, the
digest and page numbers on every page) and the HTML body (every item linked, every flag marked)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from zhiheng.supervision import documents

THRESHOLD = Decimal("50000.00")
DEPUTIES = (("li", "李副甲"), ("wang", "王副乙"), ("zhe", "周喆"))  # 喆: outside GB 2312, inside the font
CATEGORIES = (("office", "办公用品"), ("works", "工程修缮"))
COUNTERPARTIES = ("重庆渝新办公设备有限公司", "南川区金佛山建筑工程有限公司", "A&B <测试> 商行")


def item(n: int) -> dict:
    """Item n: every 7th over the collective threshold (and decided by a meeting), every 5th without a
    budget line, every 35th both."""
    deputy, category = DEPUTIES[n % 3], CATEGORIES[n % 2]
    over, no_line = n % 7 == 0, n % 5 == 0
    amount = Decimal(60000 + n) if over else Decimal(1000 + n * 10) + Decimal("0.5")
    return {
        "matter": 100 + n,
        "title": f"采购办公设备第{n}批" if n % 2 else f"修缮办公楼屋顶（{n}号楼）",
        "kind": "purchase",
        "deputy": deputy[0],
        "deputy_name": deputy[1],
        "category": category[0],
        "category_name": category[1],
        "counterparty": COUNTERPARTIES[n % 3],
        "amount": f"{amount:.2f}",
        "budget_line": None if no_line else "30201",
        "budget_line_name": "" if no_line else "办公费",
        "meeting": 900 + n if over else None,
        "meeting_label": f"第{n}次党组会" if over else None,
        "decided_at": f"2026-10-{n % 28 + 1:02d}T10:00:00+08:00",
        "over_threshold": over,
        "no_budget_line": no_line,
    }


def totals(items: list[dict], key: str, name: str) -> list[dict]:
    out: dict[str, dict] = {}
    for i in items:
        row = out.setdefault(i[key], {"key": i[key], "name": i[name], "count": 0, "amount": Decimal(0)})
        row["count"] += 1
        row["amount"] += Decimal(i["amount"])
    return [{**r, "amount": f"{r['amount']:.2f}"} for r in out.values()]


def frozen_report(count: int = 36) -> dict:
    items = [item(n) for n in range(1, count + 1)]
    total = sum(Decimal(i["amount"]) for i in items)
    return {
        "unit": {"code": "nc-parks", "name": "园林局", "district": "nanchuan", "district_name": "南川区"},
        "month": "2026-10",
        "issued_at": "2026-11-03T09:00:00+08:00",
        "items": items,
        "totals": {
            "by_deputy": totals(items, "deputy", "deputy_name"),
            "by_category": totals(items, "category", "category_name"),
            "by_counterparty": totals(items, "counterparty", "counterparty"),
        },
        "total": f"{total:.2f}",
        "count": len(items),
        "comparison": {
            "last_year_month": "2025-10",
            "last_year_total": "100000.00",
            "change_pct": "12.5",
            "budget_lines": [
                {"code": "30201", "name": "办公费", "amount": "600000.00", "consumed": "250000.00",
                 "remaining": "350000.00", "month_amount": "12345.60"},
            ],
        },
        "threshold": f"{THRESHOLD:.2f}",
    }  # fmt: skip


@pytest.fixture
def report() -> dict:
    return frozen_report()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------------------------- Excel


def test_workbook_has_the_detail_and_the_totals_typed_and_flagged(report):
    wb = load_workbook(io.BytesIO(documents.report_xlsx(report)))
    assert wb.sheetnames == ["明细", "汇总"]
    detail = wb["明细"]
    header = [c.value for c in detail[1]]
    assert header == [
        "序号",
        "事项",
        "分管副职",
        "类别",
        "相对方",
        "金额（元）",
        "预算科目",
        "决策会议",
        "标注",
    ]
    rows = list(detail.iter_rows(min_row=2, max_row=1 + report["count"]))
    amounts = [r[5] for r in rows]
    assert all(isinstance(c.value, (int, float)) and c.number_format == "#,##0.00" for c in amounts)
    assert sum(Decimal(str(c.value)) for c in amounts) == Decimal(report["total"])
    total_row = detail[2 + report["count"]]
    assert total_row[0].value == "合计" and Decimal(str(total_row[5].value)) == Decimal(report["total"])
    for r, it in zip(rows, report["items"], strict=True):
        assert r[1].value == f"#{it['matter']} {it['title']}" and r[2].value == it["deputy_name"]
        fill = r[0].fill.fgColor.rgb[-6:] if r[0].fill.fill_type == "solid" else None
        marks = r[8].value or ""
        if it["over_threshold"]:
            assert fill == documents.RED_FILL and "超过集体决策额度" in marks
        elif it["no_budget_line"]:
            assert fill == documents.YELLOW_FILL and marks == "无预算科目"
        else:
            assert fill is None and not marks
        assert ("无预算科目" in marks) == it["no_budget_line"]
        assert r[7].value == (it["meeting_label"] or "未经会议")
    assert any(it["over_threshold"] and it["no_budget_line"] for it in report["items"])  # item 35

    summary = [[c for c in row if c is not None] for row in wb["汇总"].iter_rows(values_only=True)]
    assert summary[0] == ["南川区园林局 2026年10月 财务明细汇报"]
    assert ["本月合计", report["count"], float(report["total"])] in summary
    assert ["同比变化", "+12.5%"] in summary
    by_deputy = {
        r[0]: (r[1], Decimal(str(r[2]))) for r in summary if len(r) == 4 and r[0] in dict(DEPUTIES).values()
    }
    assert by_deputy == {t["name"]: (t["count"], Decimal(t["amount"])) for t in report["totals"]["by_deputy"]}
    assert "A&B <测试> 商行" in [r[0] for r in summary if r]
    assert ["30201", "办公费", 600000, 250000, 350000, 12345.6] in summary


def test_workbook_is_set_up_for_printing(report):
    wb = load_workbook(io.BytesIO(documents.report_xlsx(report)))
    detail, summary = wb["明细"], wb["汇总"]
    assert detail.page_setup.orientation == "landscape" and summary.page_setup.orientation == "portrait"
    for ws in (detail, summary):
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_options.gridLines  # the cells' borders on paper
        assert ws.oddHeader.center.text == "南川区园林局 2026年10月 财务明细汇报"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert documents.report_digest(report)[:16] in ws.oddFooter.right.text
    assert detail.print_title_rows == "$1:$1"  # the header row on every printed page
    assert detail.freeze_panes == "B2"
    assert detail.column_dimensions["B"].width > detail.column_dimensions["A"].width


def test_the_same_report_gives_the_same_workbook_contents(report):
    first, second = (load_workbook(io.BytesIO(documents.report_xlsx(report))) for _ in range(2))
    assert first.properties.created == second.properties.created
    assert [list(ws.values) for ws in first] == [list(ws.values) for ws in second]


# ------------------------------------------------------------------------------------------------- PDF


def pdf_text(content: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    return [flat(page.extract_text()) for page in reader.pages], reader


def test_pdf_carries_the_letterhead_every_item_and_the_digest_on_every_page():
    report = frozen_report(80)
    content = documents.report_pdf(report)
    assert content.startswith(b"%PDF")
    pages, reader = pdf_text(content)
    assert len(pages) > 1
    digest = documents.report_digest(report)
    text = "".join(pages)
    assert "南川区园林局2026年10月财务明细汇报" in pages[0] and "签发时间：2026-11-0309:00" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert page.count("南川区园林局") >= 1 and "南川区·2026年10月财务明细汇报" in page  # letterhead
        assert f"摘要SHA-256{digest}" in page and f"第{number}页共{len(pages)}页" in page
        assert "序号事项分管副职" in page or number == len(pages)  # the header row repeated
    for it in report["items"]:
        assert f"#{it['matter']}" in text
    assert "周喆" in text and "A&B<测试>商行" in text  # escaped right, drawn with the embedded font
    assert "超过集体决策额度" in text and "无预算科目" in text and "未经会议" in text
    assert f"合计{report['count']}笔" in text and f"{Decimal(report['total']):,.2f}" in text
    assert "按分管副职汇总" in text and "按类别汇总" in text and "按相对方汇总" in text
    assert "同比变化：+12.5%" in text and "预算科目执行情况" in text
    assert reader.metadata.title == "南川区园林局 2026年10月 财务明细汇报"
    assert documents.report_pdf(report) == content  # invariant: a reprint is the same file


def test_pdf_shades_flagged_rows_red_or_yellow(report):
    """The detail table's flagged rows are filled with the legend's colours (ReportLab writes a fill
    colour operator per shaded row: `r g b rg`)."""
    from reportlab.lib import colors
    from reportlab.lib.rl_accel import fp_str

    content = documents.report_pdf(report, digest="f" * 64)
    reader = PdfReader(io.BytesIO(content))
    stream = b"".join(page.get_contents().get_data() for page in reader.pages)

    def fill(hex_rgb: str) -> bytes:
        c = colors.HexColor("#" + hex_rgb)
        return f"{fp_str(c.red, c.green, c.blue)} rg".encode()

    over = sum(it["over_threshold"] for it in report["items"])
    only_no_line = sum(it["no_budget_line"] and not it["over_threshold"] for it in report["items"])
    assert stream.count(fill(documents.RED_FILL)) == over
    assert stream.count(fill(documents.YELLOW_FILL)) == only_no_line
    assert "f" * 64 in flat(reader.pages[0].extract_text())  # the digest given is the one printed


def test_a_character_outside_the_embedded_font_is_drawn_with_the_fallback(report):
    report["items"][0]["counterparty"] = "𠀋记商行"  # CJK extension B: outside GBK, so outside the subset
    content = documents.report_pdf(report)
    assert b"STSong-Light" in content and "记商行" in "".join(pdf_text(content)[0])


def test_a_report_without_last_year_or_items_still_prints():
    report = frozen_report(0)
    report["comparison"] |= {"last_year_total": None, "change_pct": None, "budget_lines": []}
    text = "".join(pdf_text(documents.report_pdf(report))[0])
    assert "去年同月（2025年10月）无支出记录" in text and "本月无预算科目支出" in text
    wb = load_workbook(io.BytesIO(documents.report_xlsx(report)))
    assert wb["明细"].max_row >= 2


def test_rendering_never_changes_the_frozen_copy(report):
    """The documents read the frozen dict only: its digest is the same before and after every render."""
    digest = documents.report_digest(report)
    documents.report_xlsx(report)
    documents.report_pdf(report)
    documents.report_html(report)
    assert documents.report_digest(report) == digest


def test_filename_names_the_unit_and_month(report):
    assert documents.filename(report, "pdf") == "南川区园林局2026年10月财务明细汇报.pdf"


# ------------------------------------------------------------------------------------------------ HTML


def test_html_body_lists_every_item_linked_and_every_flag(report):
    html = documents.report_html(report)
    for it in report["items"]:
        assert f'<a href="/matters/{it["matter"]}/">{it["title"]}</a>' in html
        if it["meeting"]:
            assert f'<a href="/meetings/{it["meeting"]}/">{it["meeting_label"]}</a>' in html
    rows = re.findall(r"<tr( class=\"[^\"]+\")?><td class=\"num\">\d+</td>", html)
    assert len(rows) == report["count"]
    over = sum(it["over_threshold"] for it in report["items"])
    only_no_line = sum(it["no_budget_line"] and not it["over_threshold"] for it in report["items"])
    assert rows.count(' class="sup-over"') == over and rows.count(' class="sup-nobudget"') == only_no_line
    # each flag marked in its row, plus once in the legend
    assert html.count('<span class="sup-flag sup-over">超过集体决策额度</span>') == over + 1
    no_line = sum(it["no_budget_line"] for it in report["items"])
    assert html.count('<span class="sup-flag sup-nobudget">无预算科目</span>') == no_line + 1
    assert "A&amp;B &lt;测试&gt; 商行" in html and "<测试>" not in html
    assert f'data-testid="report-total">{report["total"]}<' in html
    assert 'data-testid="report-change">同比 +12.5%<' in html


def test_html_body_chart_data_is_json_for_the_workbench_charts(report):
    import json

    html = documents.report_html(report)
    spec = json.loads(
        re.search(r'<script id="sup-chart-by-deputy" type="application/json">(.*?)</script>', html).group(1)
    )
    assert spec["categories"] == [t["name"] for t in report["totals"]["by_deputy"]]
    assert spec["series"][0]["data"] == [t["amount"] for t in report["totals"]["by_deputy"]]
    assert 'data-chart="sup-chart-by-deputy"' in html and "workbench/charts.js" in html
    for key in ("by_deputy", "by_category", "by_counterparty"):
        assert f'data-testid="report-totals-{key}"' in html
    assert html.count('<div class="scroll-x">') == 5  # the detail, three totals, the budget lines


def test_html_body_of_an_empty_month():
    report = frozen_report(0)
    report["comparison"] |= {"last_year_total": None, "change_pct": None}
    html = documents.report_html(report)
    assert "本月没有支出和采购事项。" in html and "无法比较" in html and "sup-chart-by-deputy" not in html


def test_html_body_speaks_english_from_djangos_catalogue(report):
    """The Jinja2 body (zhiheng/web/jinja.py) translates through Django's catalogue, with the msgids the
    Django template had: no Chinese label is left in English, and values are formatted in."""
    from django.utils import translation

    with translation.override("en"):
        html = documents.report_html(report)
    assert "Same month last year (" in html and "year on year" in html and "Total: 36 items" in html
    for label in ("本月合计", "去年同月", "支出与采购明细", "汇总", "预算科目执行情况", "合计"):
        assert label not in html
