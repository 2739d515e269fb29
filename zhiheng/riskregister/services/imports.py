"""A unit's risk points from Excel (R-GATE-6; issue 18 item 5): units draw up their registers in
spreadsheets. The columns are the export's (web/exports.py), so an exported register imported again changes
nothing: 职权代码 | 职权 | 风险点 | 风险类型 | 权力重要程度 | 自由裁量权大小 | 发生概率 | 危害程度 | 风险分值 |
风险等级 | 防控措施 | 责任人 — 职权, 风险分值 and 风险等级 are read by people, not by the import (the grade is
always computed, never typed). 风险类型 is the type's name (or code); 责任人 a member of the unit, by name or
username.

All or nothing: each row becomes a draft through propose_point, with its rules (only the deputy in charge of
the power, or the unit inspector, registers its points); any refused row is reported with its number and
the rule, and then nothing is written. A row whose power already has a point with the same description is
left alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhiheng.accounts.models import Person
from zhiheng.core.spreadsheets import Sheet, apply_rows, number_of, read_rows, text
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power

from ..models import RiskPoint
from ..states import RiskType
from .points import propose_point

HEADERS = [
    "职权代码",
    "职权",
    "风险点",
    "风险类型",
    "权力重要程度",
    "自由裁量权大小",
    "发生概率",
    "危害程度",
    "风险分值",
    "风险等级",
    "防控措施",
    "责任人",
]
FACTORS = {
    "importance": "权力重要程度",
    "discretion": "自由裁量权大小",
    "probability": "发生概率",
    "harm": "危害程度",
}


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _type(name: str) -> str | None:
    return next((str(c) for c, label in RiskType.choices if name in (c, str(label))), None)


def read(data: bytes, unit: Unit) -> Sheet:
    """The file's rows shaped for propose_point; a cell that cannot be read is an error naming its row and
    column (the rules on the values themselves are the service's)."""
    out = Sheet()
    powers = {p.code: p for p in Power.objects.filter(unit=unit)}
    people: dict[str, Person] = {}
    for m in org.memberships_on(unit).select_related("person"):
        people.setdefault(m.person.username, m.person)
        people.setdefault(m.person.name, m.person)
    for number, row in read_rows(data, HEADERS, out):

        def bad(column: str, message: str, number: int = number) -> None:
            out.errors.append({"row": number, "column": column, "message": message})

        shaped: dict[str, Any] = {"row": number, "description": text(row["风险点"])}
        shaped["power"] = powers.get(text(row["职权代码"]))
        if shaped["power"] is None:
            bad("职权代码", "本单位没有此职权")
        shaped["type"] = _type(text(row["风险类型"]))
        if shaped["type"] is None:
            bad("风险类型", "风险类型应为：" + "、".join(str(label) for _c, label in RiskType.choices))
        for key, column in FACTORS.items():
            try:
                shaped[key] = number_of(row[column])
            except ValueError:
                shaped[key] = None
            if shaped[key] is None:
                bad(column, f"{column}应为 1–5 的整数")
        shaped["measures"] = text(row["防控措施"])
        shaped["owner"] = people.get(text(row["责任人"]))
        if shaped["owner"] is None:
            bad("责任人", "责任人应为本单位人员（姓名或用户名）")
        if not shaped["description"]:
            bad("风险点", "风险点不能为空")
        out.rows.append(shaped)
    return out


def import_points(*, by: Person | None, unit: Unit, data: bytes) -> Imported:
    """R-GATE-6: a unit's risk points from a spreadsheet, as drafts, all or nothing."""
    out = Imported()

    def each(row: dict[str, Any]) -> None:
        label = f"{row['power'].code} {row['description'][:20]}"
        if RiskPoint.objects.filter(power=row["power"], description=row["description"]).exists():
            out.unchanged.append(label)
            return
        propose_point(by=by, **{k: v for k, v in row.items() if k != "row"})
        out.created.append(label)

    out.errors = apply_rows(read(data, unit), each)
    if out.errors:
        out.created, out.unchanged = [], []
    return out
