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

import re
from typing import Any

from zhiheng.core.spreadsheets import Sheet
from zhiheng.core.spreadsheets import date_of as _date
from zhiheng.core.spreadsheets import number_of as _number
from zhiheng.core.spreadsheets import read_rows as _cells
from zhiheng.core.spreadsheets import text as _text

from .models import clean_body

__all__ = ["LIBRARY_HEADERS", "RULE_HEADERS", "Sheet", "codes", "read_library", "read_rules"]

RULE_HEADERS = ["编号", "分组", "标题", "正文", "所涉职权", "通过日期", "会议编号", "议题序号"]
LIBRARY_HEADERS = ["编号", "分组", "标题", "正文", "适用职权类别"]
SEPARATORS = re.compile(r"[,，、;；\s]+")


def codes(text: str) -> list[str]:
    return [c for c in SEPARATORS.split(text.strip()) if c]


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
