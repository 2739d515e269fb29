"""R-GATE-1's sittings as a pure table: one exam, one make-up, a failed make-up cancels the candidacy."""

from __future__ import annotations

from dataclasses import dataclass

from zhiheng.checkup.states import ExamStatus, exam_status, next_attempt


@dataclass
class S:
    attempt: int
    passed: bool


def test_the_sittings_table():
    assert exam_status([]) == ExamStatus.NONE and next_attempt([]) == 1
    assert exam_status([S(1, True)]) == ExamStatus.PASSED and next_attempt([S(1, True)]) is None
    assert exam_status([S(1, False)]) == ExamStatus.FAILED and next_attempt([S(1, False)]) == 2
    assert exam_status([S(1, False), S(2, True)]) == ExamStatus.PASSED
    assert exam_status([S(1, False), S(2, False)]) == ExamStatus.DISQUALIFIED
    assert next_attempt([S(1, False), S(2, False)]) is None
