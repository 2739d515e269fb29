"""A readable line diff between two versions of a rule's text (pure: strings in, rows out; difflib).

`line_diff(old, new)` gives one row per line: ("equal" | "delete" | "insert", old line number, new line
number, text). A replaced block is its old lines deleted, then its new lines inserted, as people read a
marked-up draft. The old text is the rows that are not "insert", the new text those that are not "delete"
(tests/test_diffing.py checks it for any two texts)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class Row:
    op: Op
    old: int | None
    new: int | None
    text: str


def lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def line_diff(old: str, new: str) -> list[Row]:
    a, b = lines(old), lines(new)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                Row("equal", i + 1, j + 1, a[i]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        rows += [Row("delete", i + 1, None, a[i]) for i in range(i1, i2)]
        rows += [Row("insert", None, j + 1, b[j]) for j in range(j1, j2)]
    return rows


def stats(rows: list[Row]) -> dict[str, int]:
    return {
        "inserted": sum(1 for r in rows if r.op == "insert"),
        "deleted": sum(1 for r in rows if r.op == "delete"),
    }
