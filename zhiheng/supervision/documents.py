"""The monthly financial detail report 每月财务明细汇报 (R-SUP-1) as printable documents: an Excel workbook
(a sheet of detail, a sheet of totals, set up for A4) and a PDF with the unit's letterhead.

Both are drawn from the report's *frozen* copy only — the plain JSON dict issued and digested into the
ledger (no ORM here) — so a later edit of a matter never changes a report already acknowledged, and the
digest printed at the foot of every PDF page lets a reader check a paper copy against the ledger:

    {"unit": {"code", "name", "district", "district_name"}, "month": "YYYY-MM", "issued_at": ISO 8601,
     "items": [{"matter", "title", "kind", "deputy", "deputy_name", "category", "category_name",
                "counterparty", "amount": "123.00", "budget_line", "budget_line_name", "meeting",
                "meeting_label", "decided_at", "over_threshold", "no_budget_line"}],
     "totals": {"by_deputy" | "by_category" | "by_counterparty": [{"key", "name", "count", "amount"}]},
     "total", "count",
     "comparison": {"last_year_month", "last_year_total", "change_pct",
                    "budget_lines": [{"code", "name", "amount", "consumed", "remaining", "month_amount"}]},
     "threshold"}

Documents are official papers and read in Chinese whatever the reader's interface language, like the
minutes (meetings/web/pdf.py). Speed (issue 14: 3,000 units' reports in 30 s as Excel, 60 s as PDF, on two
processes): everything that does not depend on the report — styles, table style commands, column
layouts — is built once per process; cells are plain values or prototype-styled cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from zhiheng.ledger.canonical import canonical_bytes
from zhiheng.web.exports import MONEY_FORMAT
from zhiheng.web.pdf import FONT, letterhead_name, lines, markup, numbered_canvas, register_fonts, style

Report = dict[str, Any]

OVER_THRESHOLD = "超过集体决策额度"
NO_BUDGET_LINE = "无预算科目"
NOT_IN_MEETING = "未经会议"
NONE = "无"
TITLE = "财务明细汇报"


# ---------------------------------------------------------------------------------------------- shared


def report_html(frozen: Report) -> SafeString:
    """The report's body for its page, from the Jinja2 template (zhiheng/web/jinja.py: 3,000 bodies a
    month in under a second, bench/supervision). Safe: the template escapes every value it writes."""
    html: str = _body_template().render({"report": frozen})
    return mark_safe(html)  # noqa: S308 — autoescaped by Jinja2


@functools.cache
def _body_template() -> Any:
    return engines["jinja2"].get_template("supervision/report_body.html")


def report_digest(frozen: Report) -> str:
    """SHA-256 of the frozen copy's canonical JSON (sorted keys, no whitespace, UTF-8: the ledger's own
    canonical form), hex — what the ledger keeps and every PDF page prints."""
    return hashlib.sha256(canonical_bytes(frozen)).hexdigest()


def month_label(month: str) -> str:
    """ "2026-10" → "2026年10月"."""
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def unit_title(frozen: Report) -> str:
    """The letterhead's name: the district's name before the unit's, once (南川区 + 园林局 → 南川区园林局)."""
    unit = frozen["unit"]
    return letterhead_name(unit["name"], unit["district_name"])


def document_title(frozen: Report) -> str:
    """ "南川区园林局 2026年10月 财务明细汇报"."""
    return f"{unit_title(frozen)} {month_label(frozen['month'])} {TITLE}"


def filename(frozen: Report, extension: str) -> str:
    """The download's name: 南川区园林局2026年10月财务明细汇报.pdf."""
    return f"{unit_title(frozen)}{month_label(frozen['month'])}{TITLE}.{extension}"


def issued_label(frozen: Report) -> str:
    """The issue time as written on paper (Asia/Shanghai, as frozen): 2026-11-03 09:00."""
    return f"{dt.datetime.fromisoformat(frozen['issued_at']):%Y-%m-%d %H:%M}"


def flags(item: dict[str, Any]) -> list[str]:
    """The item's marks, most serious first."""
    return [OVER_THRESHOLD] * bool(item["over_threshold"]) + [NO_BUDGET_LINE] * bool(item["no_budget_line"])


def change_label(comparison: dict[str, Any]) -> str:
    """The change against the same month last year: "+12.5%", "-3.0%", or why there is none."""
    pct = comparison.get("change_pct")
    if pct is None:
        return "去年同月无支出，无法比较" if comparison.get("last_year_total") is None else "—"
    return f"{'+' if Decimal(pct) > 0 else ''}{pct}%"


def yuan(amount: str | None) -> str:
    """ "1234567.50" → "1,234,567.50" (the frozen amounts are exact decimal strings)."""
    return NONE if amount is None else f"{Decimal(amount):,.2f}"


@dataclass(frozen=True)
class Detail:
    """A column of the detail: header, width (Excel characters, PDF millimetres), its cell text, and its
    kind (money is a number cell in Excel, text in the PDF)."""

    header: str
    xlsx_width: float
    pdf_width: float
    text: Callable[[dict[str, Any]], str]
    kind: str = "text"


DETAIL: tuple[Detail, ...] = (
    Detail("事项", 44, 60, lambda i: f"#{i['matter']} {i['title']}"),
    Detail("分管副职", 10, 18, lambda i: i["deputy_name"]),
    Detail("类别", 10, 18, lambda i: i["category_name"]),
    Detail("相对方", 24, 46, lambda i: i["counterparty"] or NONE),
    Detail("金额（元）", 14, 26, lambda i: yuan(i["amount"]), "money"),
    Detail("预算科目", 18, 30, lambda i: i["budget_line_name"] or NONE),
    Detail("决策会议", 14, 26, lambda i: i["meeting_label"] or NOT_IN_MEETING),
    Detail("标注", 20, 28, lambda i: "、".join(flags(i))),
)
AMOUNT_COLUMN = 1 + [c.kind for c in DETAIL].index("money")  # 0 is 序号

TOTALS = (
    ("by_deputy", "按分管副职汇总", "分管副职"),
    ("by_category", "按类别汇总", "类别"),
    ("by_counterparty", "按相对方汇总", "相对方"),
)


def _totals_rows(frozen: Report) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """Each of the three totals (heading, what it groups by, rows with their share of the month)."""
    total = Decimal(frozen["total"]) or Decimal(1)
    for key, heading, name in TOTALS:
        rows = [{**r, "share": f"{Decimal(r['amount']) * 100 / total:.1f}%"} for r in frozen["totals"][key]]
        yield heading, name, rows


BUDGET_HEAD = ("科目编码", "预算科目", "预算金额（元）", "已使用（元）", "剩余（元）", "本月（元）")
BUDGET_FIELDS = ("amount", "consumed", "remaining", "month_amount")


# --------------------------------------------------------------------------------------------- Excel

RED_FILL = "FDE2E1"  # 超过集体决策额度
YELLOW_FILL = "FFF4CE"  # 无预算科目
HEAD_FILL = "EEEEEE"


class _Cells:
    """Cells for one workbook's write-only sheets. A plain value is the cheap cell: openpyxl writes it
    through one reused cell object, and the printed page draws its grid lines (`gridLines`), so it needs no
    border style. A styled cell (header, money, a flagged row's fill) takes the style array of a prototype
    cell made once per workbook when first needed, instead of assigning Font, Fill… to each cell, which
    makes openpyxl hash every style object again."""

    CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
    FORMATS = {"money": MONEY_FORMAT}

    def __init__(self, ws: Any) -> None:
        self.ws = ws  # the sheet being written; the style tables are the workbook's
        self._protos: dict[tuple[str, str], Any] = {}

    def _proto(self, kind: str, fill: str) -> Any:
        cell = WriteOnlyCell(self.ws)
        if kind == "title":
            cell.font = Font(bold=True, size=13)
        elif kind == "head":
            cell.font, cell.alignment = Font(bold=True), self.CENTRE
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if kind in self.FORMATS:
            cell.number_format = self.FORMATS[kind]
        return cell

    def __call__(self, value: Any, kind: str = "text", fill: str = "") -> Any:
        if kind in ("text", "int") and not fill:
            return value
        proto = self._protos.get((kind, fill))
        if proto is None:
            proto = self._protos[kind, fill] = self._proto(kind, fill)
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = proto._style  # shared, never mutated: a cell's style is replaced, not edited
        return cell


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _xlsx_value(column: Detail, item: dict[str, Any]) -> Any:
    if column.kind == "money":
        return Decimal(item["amount"])
    return column.text(item)


def _print_setup(ws: Any, frozen: Report, digest: str, orientation: str, widths: Sequence[float]) -> None:
    """A4, fit to one page wide, the unit and month in the page header, 第 x 页 共 y 页 in the footer."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.paperSize = "9"  # A4 (openpyxl's Worksheet.PAPERSIZE_A4)
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True  # the cells' borders on paper
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = document_title(frozen).replace("&", "&&")  # & starts a header code
    ws.oddHeader.center.size = 11
    ws.oddFooter.left.text = f"签发 {issued_label(frozen)}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.right.text = f"摘要 {digest[:16]}…"


def _detail_rows(frozen: Report, digest: str, cells: _Cells) -> Iterator[list[Any]]:
    """明细: the header (repeated on every printed page), a row per item (flagged rows filled), the total."""
    yield [cells(h, "head", HEAD_FILL) for h in ("序号", *(c.header for c in DETAIL))]
    for n, item in enumerate(frozen["items"], start=1):
        fill = RED_FILL if item["over_threshold"] else YELLOW_FILL if item["no_budget_line"] else ""
        yield [cells(n, "int", fill), *(cells(_xlsx_value(c, item), c.kind, fill) for c in DETAIL)]
    total = [cells("合计", "head", HEAD_FILL), cells(f"{frozen['count']} 笔", "head", HEAD_FILL)]
    total += [cells(None, "head", HEAD_FILL) for _ in range(AMOUNT_COLUMN - 2)]
    yield [*total, cells(Decimal(frozen["total"]), "money", HEAD_FILL)]
    yield []
    threshold = yuan(frozen["threshold"])
    yield [
        cells(f"标注：红底为{OVER_THRESHOLD}（单笔超过 {threshold} 元），黄底为{NO_BUDGET_LINE}。", "title")
    ]


def _summary_rows(frozen: Report, digest: str, cells: _Cells) -> Iterator[list[Any]]:
    """汇总: the month against last year's, the totals by deputy, category and counterparty, budget lines."""
    comparison = frozen["comparison"]
    yield [cells(document_title(frozen), "title")]
    yield [cells(f"签发时间 {issued_label(frozen)}　摘要 SHA-256 {digest}")]
    yield []
    yield [cells(h, "head", HEAD_FILL) for h in ("项目", "笔数", "金额（元）", "说明")]
    yield [
        cells("本月合计"),
        cells(frozen["count"], "int"),
        cells(_money(frozen["total"]), "money"),
        cells(None),
    ]
    last_year = f"去年同月（{month_label(comparison['last_year_month'])}）"
    yield [cells(last_year), cells(None), cells(_money(comparison["last_year_total"]), "money"), cells(None)]
    yield [cells("同比变化"), cells(None), cells(None), cells(change_label(comparison))]
    for heading, name, rows in _totals_rows(frozen):
        yield []
        yield [cells(heading, "title")]
        yield [cells(h, "head", HEAD_FILL) for h in (name, "笔数", "金额（元）", "占比")]
        for r in rows:
            yield [
                cells(r["name"]),
                cells(r["count"], "int"),
                cells(Decimal(r["amount"]), "money"),
                cells(r["share"]),
            ]
    yield []
    yield [cells("预算科目执行情况", "title")]
    yield [cells(h, "head", HEAD_FILL) for h in BUDGET_HEAD]
    for line in comparison["budget_lines"]:
        yield [
            cells(line["code"]),
            cells(line["name"]),
            *(cells(_money(line[f]), "money") for f in BUDGET_FIELDS),
        ]


SHEETS = (
    ("明细", "landscape", (6, *(c.xlsx_width for c in DETAIL)), _detail_rows),
    ("汇总", "portrait", (26, 12, 18, 18, 18, 18), _summary_rows),
)


def report_xlsx(frozen: Report, digest: str | None = None) -> bytes:
    """The workbook: 明细 (every item, flagged rows filled) and 汇总 (totals, last year, budget lines), each
    set up to print on A4. `digest`: the ledger's, as for the PDF."""
    digest = digest or report_digest(frozen)
    wb = Workbook(write_only=True)
    wb.properties.title = document_title(frozen)
    wb.properties.creator = "制衡 Zhiheng"
    issued = dt.datetime.fromisoformat(frozen["issued_at"]).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = issued  # the same report, the same properties
    cells = _Cells(None)
    for title, orientation, widths, rows in SHEETS:
        ws = cells.ws = wb.create_sheet(title)
        _print_setup(ws, frozen, digest, orientation, widths)
        if rows is _detail_rows:
            ws.freeze_panes = "B2"  # the header row and the 序号 column stay in view
            ws.print_title_rows = "1:1"  # and the header row is printed on every page
        for row in rows(frozen, digest, cells):
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------- PDF

RED = colors.HexColor("#B7282E")
GREY = colors.HexColor("#888888")
HEAD_BG = colors.HexColor("#EEEEEE")
RED_BG = colors.HexColor("#" + RED_FILL)
YELLOW_BG = colors.HexColor("#" + YELLOW_FILL)
PAGE = landscape(A4)
MARGIN = 14 * mm
CELL_SIZE, CELL_LEADING, PAD = 8.5, 11, 3


@functools.cache
def _styles() -> dict[str, Any]:
    """Paragraph styles (they register the font): built once per process."""
    return {
        "title": style("report-title", 17, alignment=1, spaceAfter=2),
        "meta": style("report-meta", 9.5, alignment=1, textColor=colors.HexColor("#333333")),
        "head": style("report-head", 12, spaceBefore=8, spaceAfter=4),
        "body": style("report-body", 10),
        "cell": style("report-cell", CELL_SIZE, CELL_LEADING),
        "note": style("report-note", 8.5, textColor=colors.HexColor("#555555")),
    }


GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GREY), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG)])


@functools.cache
def _cell_style(alignment: str) -> CellStyle:
    """The one cell style of every table cell (font, padding, top-aligned), left or right: shared by all
    cells, so a table applies no per-cell style command (ReportLab otherwise sets each command on each
    cell of each table, and again on each page's part of a split table)."""
    cell = CellStyle(f"report-{alignment}")
    cell.fontname, cell.fontsize, cell.leading = register_fonts(), CELL_SIZE, CELL_LEADING
    cell.leftPadding = cell.rightPadding = PAD
    cell.topPadding = cell.bottomPadding = 2
    cell.valign, cell.alignment = "TOP", alignment
    return cell


class _Grid(Table):  # type: ignore[misc]  # ReportLab is untyped
    """A Table whose plain-text cells are all written in one PDF text object per table part, instead of
    one per line (ReportLab's drawString: begin, position, encode, end). Same placement as ReportLab's own
    (top-aligned, left or right, by the cell style's padding); a Paragraph cell is drawn as usual."""

    def draw(self) -> None:
        self._text = self.canv.beginText()
        self._text.setFont(FONT, CELL_SIZE, CELL_LEADING)
        self._text.setFillColor(colors.black)
        super().draw()
        self.canv.drawText(self._text)  # after the grid and shading, in the same coordinates

    def _drawCell(
        self, value: Any, cell: CellStyle, pos: tuple[float, float], size: tuple[float, float]
    ) -> None:
        if not isinstance(value, str):
            super()._drawCell(value, cell, pos, size)
            return
        (x, y), (width, height) = pos, size
        y += height - cell.topPadding - cell.fontsize
        text = self._text
        for line in value.split("\n"):
            if cell.alignment == "RIGHT":
                text.setTextOrigin(x + width - cell.rightPadding - stringWidth(line, FONT, CELL_SIZE), y)
            else:
                text.setTextOrigin(x + cell.leftPadding, y)
            text.textLine(line)  # not textOut, which measures the line to advance a cursor unused here
            y -= cell.leading


def _table(rows: list[list[Any]], widths: Sequence[float], right: Sequence[int], **kw: Any) -> Table:
    """A grid with a grey header row repeated on every page; the columns in `right` right-aligned."""
    styles = [_cell_style("RIGHT" if i in right else "LEFT") for i in range(len(widths))]
    table = _Grid(rows, colWidths=widths, repeatRows=1, cellStyles=[styles] * len(rows), **kw)
    table.setStyle(GRID)
    return table


def _cell(text: str, width: float) -> Any:
    """Plain lines when the embedded font draws every character (fast), else a Paragraph (fallback font)."""
    plain = lines(text, width - 2 * PAD, CELL_SIZE)
    return plain if plain is not None else Paragraph(markup(text), _styles()["cell"])


DETAIL_WIDTHS = (9 * mm, *(c.pdf_width * mm for c in DETAIL))
DETAIL_COLUMNS = tuple(zip(DETAIL, DETAIL_WIDTHS[1:], strict=True))


def _detail_table(frozen: Report) -> Table:
    rows: list[list[Any]] = [["序号", *(c.header for c in DETAIL)]]
    marks: list[tuple[Any, ...]] = []
    for n, item in enumerate(frozen["items"], start=1):
        cells = (c.text(item) if c.kind == "money" else _cell(c.text(item), w) for c, w in DETAIL_COLUMNS)
        rows.append([str(n), *cells])
        if item["over_threshold"] or item["no_budget_line"]:
            marks.append(("BACKGROUND", (0, n), (-1, n), RED_BG if item["over_threshold"] else YELLOW_BG))
    total = ["合计", f"{frozen['count']} 笔", *[""] * (AMOUNT_COLUMN - 2), yuan(frozen["total"])]
    rows.append(total + [""] * (len(DETAIL_WIDTHS) - len(total)))
    table = _table(rows, DETAIL_WIDTHS, (AMOUNT_COLUMN,))
    # the total row never stands alone under a repeated header: it keeps the last item with it
    table.setStyle([("BACKGROUND", (0, -1), (-1, -1), HEAD_BG), ("NOSPLIT", (0, -2), (-1, -1)), *marks])
    return table


def _small_table(
    head: Sequence[str], body: list[list[str]], widths: Sequence[float], numeric_from: int
) -> Table:
    rows = [list(head), *([_cell(t, w) for t, w in zip(row, widths, strict=True)] for row in body)]
    return _table(rows, widths, range(numeric_from, len(widths)), hAlign="LEFT")


def _totals(frozen: Report) -> list[Any]:
    story: list[Any] = []
    widths = (60 * mm, 18 * mm, 34 * mm, 20 * mm)
    for heading, name, rows in _totals_rows(frozen):
        body = [[r["name"], str(r["count"]), yuan(r["amount"]), r["share"]] for r in rows]
        story.append(
            KeepTogether(
                [
                    Paragraph(heading, _styles()["head"]),
                    _small_table((name, "笔数", "金额（元）", "占比"), body, widths, 1),
                ]
            )
        )
    return story


def _comparison(frozen: Report) -> list[Any]:
    comparison = frozen["comparison"]
    last_year = comparison["last_year_total"]
    text = (
        f"本月合计 {yuan(frozen['total'])} 元；去年同月（{month_label(comparison['last_year_month'])}）"
        f"{'无支出记录' if last_year is None else f'合计 {yuan(last_year)} 元'}；同比变化：{change_label(comparison)}。"
    )
    body = [[b["code"], b["name"], *(yuan(b[f]) for f in BUDGET_FIELDS)] for b in comparison["budget_lines"]]
    widths = (30 * mm, 64 * mm, 34 * mm, 34 * mm, 34 * mm, 34 * mm)
    parts: list[Any] = [
        Paragraph("与去年同期比较", _styles()["head"]),
        Paragraph(markup(text), _styles()["body"]),
    ]
    parts.append(Paragraph("预算科目执行情况", _styles()["head"]))
    parts.append(
        _small_table(BUDGET_HEAD, body, widths, 2)
        if body
        else Paragraph("本月无预算科目支出。", _styles()["body"])
    )
    return parts


def _letterhead(frozen: Report) -> Callable[[Any, Any], None]:
    """The page header on every page: the unit's name in red and its district, over a red rule."""
    name, district = unit_title(frozen), frozen["unit"]["district_name"]
    right = f"{district} · {month_label(frozen['month'])}{TITLE}"

    def draw(canvas: Any, doc: Any) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFillColor(RED)
        canvas.setStrokeColor(RED)
        t = canvas.beginText()
        t.setTextRenderMode(2)  # fill and stroke: bolder, without a second font file
        t.setFont(FONT, 15)
        t.setTextOrigin(MARGIN, height - 11 * mm)
        t.textOut(name)
        canvas.drawText(t)
        canvas.setFont(FONT, 9.5)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(width - MARGIN, height - 11 * mm, right)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
        canvas.restoreState()

    return draw


def report_pdf(frozen: Report, digest: str | None = None) -> bytes:
    """The PDF (A4 landscape): letterhead, title, the detail with flagged rows shaded (the header row
    repeated on every page), totals, the comparison, and on every page's foot the digest and 第 x 页 共 y 页.
    `digest` is the one the ledger holds for this frozen copy (computed from it when not given)."""
    st = _styles()
    digest = digest or report_digest(frozen)
    legend = (
        f"红底：{OVER_THRESHOLD}（单笔超过 {yuan(frozen['threshold'])} 元，应经集体决策）；"
        f"黄底：{NO_BUDGET_LINE}。金额单位：元。"
    )
    story: list[Any] = [
        Paragraph(markup(document_title(frozen)), st["title"]),
        Paragraph(
            markup(
                f"签发时间：{issued_label(frozen)}　本月 {frozen['count']} 笔，合计 {yuan(frozen['total'])} 元"
            ),
            st["meta"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(markup(legend), st["note"]),
        Spacer(1, 2 * mm),
        _detail_table(frozen),
        *_totals(frozen),
        *_comparison(frozen),
        Spacer(1, 4 * mm),
        Paragraph(
            markup(
                "本汇报为签发时冻结的副本，其摘要（SHA-256）已记入账本；纸质件可按页脚摘要与系统账本核对，"
                "事项签发后的任何修改不会改变本汇报。"
            ),
            st["note"],
        ),
    ]
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        title=document_title(frozen),
        author=unit_title(frozen),
        subject=f"摘要 SHA-256 {digest}",
        creator="制衡 Zhiheng",
        invariant=1,  # the same frozen report gives the same bytes
        initialFontName=FONT,
    )
    header = _letterhead(frozen)
    pdf.build(
        story,
        onFirstPage=header,
        onLaterPages=header,
        canvasmaker=numbered_canvas(
            lambda n, total: f"摘要 SHA-256 {digest}　　第 {n} 页 共 {total} 页", 7.5
        ),
    )
    return buffer.getvalue()
