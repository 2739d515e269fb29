"""The exam bank 廉政考试题库 from and to Excel (R-GATE-1): commissions keep their questions in spreadsheets.

Columns: 题型 | 类别 | 难度 | 题干 | 选项 | 答案
- 题型: 单选 / 多选 / 判断 / 简答;
- 难度: 1 (易), 2 (中), 3 (难);
- 选项: for 单选 and 多选, one option per line (2 to 8), read as A, B, C, …; empty otherwise;
- 答案: 单选 one letter, 多选 two or more letters ("ACD"), 判断 对 or 错, 简答 the reference answer (may be
  empty: a person marks it).

Reading never writes: every row is checked and every error reported with its row and column, and the
service writes the questions only when the file has none (powers/excel.py reads the catalogue the same way).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook

from .models import Question, QuestionKind

HEADERS = ["题型", "类别", "难度", "题干", "选项", "答案"]
KINDS = {
    "单选": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "简答": QuestionKind.SHORT,
}
KIND_NAMES = {kind: name for name, kind in KINDS.items()}
LETTERS = "ABCDEFGH"
TRUE_FALSE = {"对": True, "√": True, "正确": True, "错": False, "×": False, "错误": False}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class BankFile:
    questions: list[dict[str, Any]] = field(default_factory=list)  # Question fields, ready to create
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}


def read(data: bytes) -> BankFile:
    """Every row checked; nothing written."""
    out = BankFile()
    if len(data) > MAX_BYTES:
        out.errors.append({"row": 0, "column": "", "message": "文件过大（上限 5 MB）"})
        return out
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:
        # openpyxl raises many kinds for a non-xlsx upload; all mean the same thing to the user.
        out.errors.append({"row": 0, "column": "", "message": "无法读取文件，请上传 .xlsx 格式的题库"})
        return out
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    if not rows or [str(c or "").strip() for c in rows[0][: len(HEADERS)]] != HEADERS:
        out.errors.append({"row": 1, "column": "", "message": f"表头应为：{' | '.join(HEADERS)}"})
        return out
    if len(rows) > MAX_ROWS + 1:
        out.errors.append({"row": 0, "column": "", "message": f"题目过多（上限 {MAX_ROWS} 道）"})
        return out
    for number, raw in enumerate(rows[1:], start=2):
        cells = [str(c).strip() if c is not None else "" for c in (*raw, *[None] * len(HEADERS))][
            : len(HEADERS)
        ]
        if any(cells):
            _row(number, dict(zip(HEADERS, cells, strict=True)), out)
    if not out.questions and not out.errors:
        out.errors.append({"row": 2, "column": "", "message": "文件中没有题目"})
    return out


def _row(number: int, row: dict[str, str], out: BankFile) -> None:
    errors: list[tuple[str, str]] = []
    kind = KINDS.get(row["题型"])
    if kind is None:
        errors.append(("题型", f"题型应为 {'、'.join(KINDS)} 之一"))
    if not row["类别"] or len(row["类别"]) > 32:
        errors.append(("类别", "类别不能为空，且不超过 32 字"))
    difficulty = row["难度"].removesuffix(".0")
    if difficulty not in {"1", "2", "3"}:
        errors.append(("难度", "难度应为 1（易）、2（中）或 3（难）"))
    if not row["题干"]:
        errors.append(("题干", "题干不能为空"))
    options = [line.strip() for line in row["选项"].splitlines() if line.strip()]
    answer: Any = None
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not 2 <= len(options) <= len(LETTERS):
            errors.append(("选项", f"选择题应有 2 至 {len(LETTERS)} 个选项，每行一个"))
        letters = row["答案"].upper().replace(" ", "").replace("，", "").replace(",", "")
        picked = sorted({LETTERS.index(c) for c in letters if c in LETTERS[: len(options)]})
        wanted = 1 if kind == QuestionKind.SINGLE else 2
        if len(picked) != len(letters) or (len(picked) != 1 if wanted == 1 else len(picked) < 2):
            names = "、".join(LETTERS[: max(len(options), 2)])
            errors.append(
                (
                    "答案",
                    f"{'单选题答案应为一个字母' if wanted == 1 else '多选题答案应为两个或以上字母'}（{names}）",
                )
            )
        answer = picked
    elif kind is not None:
        if options:
            errors.append(("选项", "判断题和简答题不填选项"))
        if kind == QuestionKind.TRUE_FALSE:
            if row["答案"] not in TRUE_FALSE:
                errors.append(("答案", "判断题答案应为“对”或“错”"))
            answer = TRUE_FALSE.get(row["答案"])
        else:
            answer = row["答案"]
    out.errors += [{"row": number, "column": column, "message": message} for column, message in errors]
    if not errors:
        out.questions.append(
            {
                "kind": str(kind),
                "category": row["类别"],
                "difficulty": int(difficulty),
                "stem": row["题干"],
                "options": options,
                "answer": answer,
            }
        )


def write(questions: list[Question]) -> bytes:
    """The bank as the file `read` accepts (a round trip changes nothing)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "廉政考试题库"
    sheet.append(HEADERS)
    for q in questions:
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            answer = "".join(LETTERS[i] for i in q.answer)
        elif q.kind == QuestionKind.TRUE_FALSE:
            answer = "对" if q.answer else "错"
        else:
            answer = str(q.answer or "")
        sheet.append(
            [KIND_NAMES[QuestionKind(q.kind)], q.category, q.difficulty, q.stem, "\n".join(q.options), answer]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
