"""Marking an online sitting (R-GATE-1), as pure functions over plain values: no model, no clock.

Every question of a paper weighs the same, so a paper of N questions gives each 100/N points and the score
is 100 × (the shares earned) / N, to one decimal. A choice question earns all or nothing: the options chosen
must be exactly the answer's (a multiple-choice question half right is wrong, as on the paper exams the
commissions set). A true/false question earns its point when the answer matches. A short answer is marked
by a person, who gives points between 0 and the question's worth.

An answer is kept as the candidate gave it, keyed by the question's bank id: for a choice question the bank
indexes of the options chosen (the paper shows them in its own order), for true/false a boolean, for a
short answer the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CHOICE_KINDS = frozenset({"single", "multiple"})
SHORT = "short"
MAX_SHORT_ANSWER = 4000
TENTH = Decimal("0.1")
SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Key:
    """What marking needs of a question: its kind, its answer, how many options it has."""

    kind: str
    answer: Any  # choice: [option indexes]; true_false: bool; short: reference text (for the marker)
    options: int = 0


def clean_answers(given: Mapping[str, Any], keys: Mapping[int, Key]) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers in kept form, and what is wrong with any of them (question id → reason in Chinese).

    A question left unanswered is simply absent; an answer to a question not on the paper, an option the
    question does not have, or more than one option to a single-choice question is an error."""
    kept: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for raw_id, value in given.items():
        try:
            qid = int(raw_id)
        except (TypeError, ValueError):
            errors[str(raw_id)] = "不是本试卷的题目"
            continue
        key = keys.get(qid)
        if key is None:
            errors[str(raw_id)] = "不是本试卷的题目"
            continue
        if value is None or value == "" or value == []:
            continue
        cleaned, error = _clean_one(key, value)
        if error:
            errors[str(qid)] = error
        else:
            kept[str(qid)] = cleaned
    return kept, errors


def _clean_one(key: Key, value: Any) -> tuple[Any, str | None]:
    if key.kind in CHOICE_KINDS:
        chosen = value if isinstance(value, list) else [value]
        try:
            indexes = sorted({int(v) for v in chosen})
        except (TypeError, ValueError):
            return None, "选项无效"
        if any(not 0 <= i < key.options for i in indexes):
            return None, "选项无效"
        if key.kind == "single" and len(indexes) > 1:
            return None, "单选题只能选一项"
        return indexes, None
    if key.kind == "true_false":
        if isinstance(value, bool):
            return value, None
        if str(value).lower() in {"true", "1", "对", "正确"}:
            return True, None
        if str(value).lower() in {"false", "0", "错", "错误"}:
            return False, None
        return None, "判断题须答“对”或“错”"
    text = str(value).strip()
    if len(text) > MAX_SHORT_ANSWER:
        return None, f"简答题不超过 {MAX_SHORT_ANSWER} 字"
    return text, None


def auto_marks(answers: Mapping[str, Any], keys: Mapping[int, Key]) -> dict[str, str]:
    """The share ("1" or "0") each choice and true/false question earned; short answers are left to the
    marker. An unanswered question earns "0"."""
    marks: dict[str, str] = {}
    for qid, key in keys.items():
        if key.kind == SHORT:
            continue
        given = answers.get(str(qid))
        if key.kind in CHOICE_KINDS:
            right = given is not None and sorted(given) == sorted(int(i) for i in key.answer)
        else:
            right = given is not None and bool(given) == bool(key.answer)
        marks[str(qid)] = "1" if right else "0"
    return marks


def worth(questions: int) -> Decimal:
    """The points one question of a paper of `questions` is worth, to two decimals (for the marker's form)."""
    return (Decimal(100) / questions).quantize(Decimal("0.01"))


def share_of(points: Decimal, questions: int) -> str:
    """A short answer's points as the share of its question, kept to four decimals; the question's worth as
    the form shows it (rounded to two decimals) is the whole share."""
    if points >= worth(questions):
        return "1"
    return str((points * questions / Decimal(100)).quantize(SHARE_PLACES, ROUND_HALF_UP))


def score(marks: Mapping[str, str], questions: int) -> Decimal:
    """100 × the shares earned / the number of questions, to one decimal, at most 100."""
    if questions <= 0:
        return Decimal(0)
    earned = sum((Decimal(m) for m in marks.values()), Decimal(0))
    return min(Decimal(100), (earned * 100 / questions).quantize(TENTH, ROUND_HALF_UP))


def unmarked(marks: Mapping[str, str], keys: Mapping[int, Key]) -> list[int]:
    """The short-answer questions the marker has yet to mark."""
    return [qid for qid, key in keys.items() if key.kind == SHORT and str(qid) not in marks]
