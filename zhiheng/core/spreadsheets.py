"""Reading an uploaded .xlsx for an import (issue 18: the rules library and the risk register): offices keep
such lists in spreadsheets. Reading never writes: a sheet's rows come back as dicts keyed by the expected
headers, and every problem with the file as a whole as an error naming its row — the app then shapes each
row and applies them through its services, all or nothing (`apply_rows`)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from .errors import DomainError

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Sheet:
    rows: list[dict[str, Any]] = field(default_factory=list)  # shaped rows, each with its "row" number
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}


def read_rows(data: bytes, headers: list[str], out: Sheet) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {header: value}) of the first sheet's non-empty rows, when its first row starts with
    `headers` (later columns — an export's computed ones — are ignored); otherwise [] with the reason in
    `out.errors`."""
    if len(data) > MAX_BYTES:
        out.errors.append({"row": 0, "column": "", "message": "文件过大（上限 5 MB）"})
        return []
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:
        # openpyxl raises many kinds for a non-xlsx upload; all mean the same thing to the user.
        out.errors.append({"row": 0, "column": "", "message": "无法读取文件，请上传 .xlsx 格式的文件"})
        return []
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    if not rows or [str(c or "").strip() for c in rows[0][: len(headers)]] != headers:
        out.errors.append({"row": 1, "column": "", "message": f"表头应为：{' | '.join(headers)}"})
        return []
    if len(rows) > MAX_ROWS + 1:
        out.errors.append({"row": 0, "column": "", "message": f"行数过多（上限 {MAX_ROWS} 行）"})
        return []
    found = []
    for number, raw in enumerate(rows[1:], start=2):
        values = [*raw, *[None] * len(headers)][: len(headers)]
        if any(v not in (None, "") for v in values):
            found.append((number, dict(zip(headers, values, strict=True))))
    if not found:
        out.errors.append({"row": 2, "column": "", "message": "文件中没有数据行"})
    return found


def apply_rows(sheet: Sheet, each: Callable[[dict[str, Any]], None]) -> list[dict[str, Any]]:
    """Every row of a read sheet through `each` (which calls the app's services), all or nothing; the errors.

    A file with errors of its own writes nothing. Otherwise the rows are applied in one transaction, a row a
    rule refuses is reported with its number and the rule, and when any was refused the whole transaction is
    rolled back: an office fixes its file and imports it again, never half of it."""
    if sheet.errors:
        return list(sheet.errors)
    errors: list[dict[str, Any]] = []
    with transaction.atomic():
        for row in sheet.rows:
            try:
                each(row)
            except DomainError as refusal:
                errors.append(
                    {
                        "row": row["row"],
                        "column": "",
                        "rule": refusal.rule,
                        "message": refusal.message,
                        "detail": refusal.detail,
                    }
                )
        if errors:
            transaction.set_rollback(True)
    return errors


def text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def date_of(value: Any) -> dt.date | None:
    """A cell as a date (a date cell, or text starting YYYY-MM-DD); None when empty; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    found = text(value)
    if not found:
        return None
    return dt.date.fromisoformat(found[:10])


def number_of(value: Any) -> int | None:
    """A cell as a whole number (3, "3" or 3.0); None when empty; ValueError otherwise."""
    found = text(value).removesuffix(".0")
    if not found:
        return None
    return int(found)
