"""Excel exports of the lists people filter (issue 13 item 5): one writer for every list.

A list page's export view asks the page's own selector with the page's own filters (so an export holds
exactly the rows the person may see and chose), then hands the rows to `xlsx_response` with the columns:
Chinese headers, money as numbers formatted #,##0.00, dates and times as Excel date cells (Asia/Shanghai),
codes already turned into labels by the caller. openpyxl's write-only mode streams rows into the
workbook without keeping a cell object per cell, so a list of tens of thousands of rows stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhiheng.core import clock
from zhiheng.web import labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

Kind = Literal["text", "money", "int", "date", "datetime"]


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: float = 14


def _value(kind: Kind, value: Any) -> Any:
    if value is None or value == "":
        return None
    if kind == "money":
        return Decimal(value)
    if kind == "int":
        return int(value)
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return value.astimezone(clock.SHANGHAI).replace(tzinfo=None, microsecond=0)
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.astimezone(clock.SHANGHAI).date()
        return value
    return str(value)


_FORMATS: dict[str, str] = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}


def workbook_bytes(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold header row (frozen), then a row per item, each cell typed by its column."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    formats = [_FORMATS.get(col.kind) for col in columns]
    for row in rows:
        out: list[Any] = []
        for col, fmt, value in zip(columns, formats, row, strict=True):
            v = _value(col.kind, value)
            if fmt is not None and v is not None:
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The workbook as a download named `filename` (.xlsx; Chinese kept through RFC 5987 filename*)."""
    response = HttpResponse(workbook_bytes(title, columns, rows), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


def filters(request: HttpRequest, *names: str) -> dict[str, Any]:
    """The list page's filters given in the query string (the page's own names), for the page's
    selector: `?state=approved&deputy=` → {"state": "approved"} (an empty one is no filter)."""
    return {name: value for name in names if (value := request.GET.get(name, ""))}


def stamped(name: str) -> str:
    """`name` with today's date (Asia/Shanghai): 测试局事项-20260302.xlsx."""
    return f"{name}-{clock.today():%Y%m%d}.xlsx"


def shown(vocabulary: str, code: object, display: object) -> str:
    """The label of `code` from the one registry (web/labels.py); the model's own choice label
    (`get_FOO_display()`, given as `display`) while the vocabulary is not registered."""
    text = labels.label(vocabulary, code)
    return str(display) if text == str(code) else text
