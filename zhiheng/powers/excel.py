"""Catalogue import from and export to Excel (R-DIV-1): units keep their power lists in spreadsheets.

Import is all or nothing per file: every row is checked first and every row error reported (row number,
column, message); only a file without errors is written, in one transaction.
Columns: 代码 | 名称 | 类别 | 法律依据 | 运行流程 — the flowchart as one step per line, "步骤|角色|产出".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit

from . import rules, selectors, services

HEADERS = ["代码", "名称", "类别", "法律依据", "运行流程"]
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Rows that would change the unit's restricted catalogue, left for the commission (issue 9 hole 7).
    pending: list[Any] = field(default_factory=list)


def _flow_text(steps: list[dict[str, str]]) -> str:
    return "\n".join("|".join([s.get("step", ""), s.get("role", ""), s.get("output", "")]) for s in steps)


def export_catalogue(unit: Unit) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "职权目录"
    ws.append(HEADERS)
    for power in selectors.list_powers(unit):
        ws.append(
            [power.code, power.name, power.category.code, power.legal_basis, _flow_text(power.flowchart)]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _parse_flow(text: str) -> list[dict[str, str]]:
    steps = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        steps.append({"step": parts[0], "role": parts[1], "output": parts[2]})
    return steps


def parse_catalogue(unit: Unit, data: bytes) -> ImportResult:
    """Check every row; never writes."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append({"row": 0, "column": "", "message": "文件过大（上限 5 MB）"})
        return result
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds for a non-xlsx upload; all mean the same thing to the user.
        result.errors.append({"row": 0, "column": "", "message": "无法读取文件，请上传 .xlsx 格式的职权目录"})
        return result
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    if not rows or [str(c or "").strip() for c in rows[0][: len(HEADERS)]] != HEADERS:
        result.errors.append({"row": 1, "column": "", "message": f"表头应为：{' | '.join(HEADERS)}"})
        return result
    categories = set(selectors.list_categories(unit.district).values_list("code", flat=True))
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = [("" if c is None else str(c).strip()) for c in (list(raw) + [None] * 5)[:5]]
        if not any(cells):
            continue
        code, name, category, basis, flow = cells
        errors = []
        if not CODE_RE.match(code):
            errors.append(("代码", "代码应为小写字母、数字、短横线或下划线"))
        elif code in seen:
            errors.append(("代码", f"与第 {seen[code]} 行重复"))
        if not name:
            errors.append(("名称", "名称不能为空"))
        elif len(name) > 128:
            errors.append(("名称", "名称过长（上限 128 字）"))
        if category not in categories:
            errors.append(("类别", f"类别 {category or '（空）'} 不存在"))
        steps = _parse_flow(flow)
        if any(not s["step"] for s in steps):
            errors.append(("运行流程", "每一步都需要步骤名称"))
        for column, message in errors:
            result.errors.append({"row": number, "column": column, "message": message})
        if not errors:
            seen[code] = number
            result.rows.append(
                {"code": code, "name": name, "category": category, "legal_basis": basis, "flowchart": steps}
            )
    if len(rows) > MAX_ROWS + 1:
        result.errors.append({"row": MAX_ROWS + 2, "column": "", "message": f"行数超过上限 {MAX_ROWS}"})
    if not result.rows and not result.errors:
        result.errors.append({"row": 2, "column": "", "message": "文件中没有职权"})
    return result


def import_catalogue(*, by: Person | None, unit: Unit, data: bytes) -> ImportResult:
    """All or nothing: with any row error nothing is written and every error is returned (raised as 422).
    Rows changing the restricted catalogue are, from the unit, left pending for the commission."""
    rules.ensure_can_edit_catalogue(by, unit)
    result = parse_catalogue(unit, data)
    if result.errors:
        raise Invalid(
            "R-DIV-1", f"职权目录有 {len(result.errors)} 处错误，未导入任何一行", {"errors": result.errors}
        )
    result.pending = services.import_catalogue_rows(by=by, unit=unit, rows=result.rows).pending
    return result
