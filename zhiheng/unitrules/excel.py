"""A unit's rules and a district's library of model rules from Excel (R-PIL-2): offices keep rules in
spreadsheets. Reading never writes: each row is shaped and checked here (row and column named in every
error), then services.import_* applies the rows through the same services as the pages and the API — all or
nothing. The export (web/exports.py) writes the same columns, so a file exported and imported again
changes nothing.

Rules:   编号 | 分组 | 标题 | 正文 | 所涉职权 | 通过日期 | 会议编号 | 议题序号   (then 版本, 状态, 来源范本: ignored)
Library: 编号 | 分组 | 标题 | 正文 | 适用职权类别                               (then 版本, 状态: ignored)
所涉职权 / 适用职权类别: codes separated by commas, 、 or spaces. 会议编号 + 议题序号: the sealed meeting of the
unit and the number of its agenda item that passed the version; both empty for a rule adopted before the
unit joined the system (then 通过日期 is required)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from .models import clean_body

RULE_HEADERS = ["编号", "分组", "标题", "正文", "所涉职权", "通过日期", "会议编号", "议题序号"]
LIBRARY_HEADERS = ["编号", "分组", "标题", "正文", "适用职权类别"]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
SEPARATORS = re.compile(r"[,，、;；\s]+")


@dataclass
class Sheet:
    rows: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "code", …} ready for a service
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}


def codes(text: str) -> list[str]:
    return [c for c in SEPARATORS.split(text.strip()) if c]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    return dt.date.fromisoformat(text[:10])


def _number(value: Any) -> int | None:
    text = str(value if value is not None else "").strip().removesuffix(".0")
    if not text:
        return None
    return int(text)


def _cells(data: bytes, headers: list[str], out: Sheet) -> list[tuple[int, dict[str, Any]]]:
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


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def read_rules(data: bytes) -> Sheet:
    out = Sheet()
    for number, row in _cells(data, RULE_HEADERS, out):
        shaped: dict[str, Any] = {
            "row": number,
            "code": _text(row["编号"]),
            "group": _text(row["分组"]),
            "title": _text(row["标题"]),
            "body": clean_body(str(row["正文"] or "")),
            "powers": codes(_text(row["所涉职权"])),
        }
        for column, key, parse in (
            ("通过日期", "adopted", _date),
            ("会议编号", "meeting", _number),
            ("议题序号", "item", _number),
        ):
            try:
                shaped[key] = parse(row[column])
            except ValueError:
                out.errors.append({"row": number, "column": column, "message": f"{column}格式有误"})
        if not shaped["code"]:
            out.errors.append({"row": number, "column": "编号", "message": "编号不能为空"})
        out.rows.append(shaped)
    return out


def read_library(data: bytes) -> Sheet:
    out = Sheet()
    for number, row in _cells(data, LIBRARY_HEADERS, out):
        shaped = {
            "row": number,
            "code": _text(row["编号"]),
            "group": _text(row["分组"]),
            "title": _text(row["标题"]),
            "body": clean_body(str(row["正文"] or "")),
            "categories": codes(_text(row["适用职权类别"])),
        }
        if not shaped["code"]:
            out.errors.append({"row": number, "column": "编号", "message": "编号不能为空"})
        out.rows.append(shaped)
    return out
