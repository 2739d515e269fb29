"""Grading a risk point A/B/C/D (R-GATE-6) — a pure function over four inputs, no ORM.

Where the idea comes from:

- The seed (Yongchuan, 评估风险等级): "依据权力的重要程度、自由裁量权的大小、腐败现象发生的概率及危害程度等因素，
  把廉政风险划分为'A、B、C、D'四个等级，对廉政风险实行分级管理" — four inputs, four grades, A the highest.
- The risk matrix of likelihood × impact (ISO 31000 / ISO/IEC 31010's consequence-likelihood matrix): a
  point's *exposure* is how likely misuse is — the probability of corruption, widened by the size of the
  discretion — and its *impact* is how much it would cost — the harm, weighted by the importance of the
  power. The score is their product, as in the matrix:

      score = (discretion + probability) × (importance + harm)        each input 1..5, score 4..100

  and the grade reads the score against three thresholds (a district's parameters, parameters.py):

      A: score ≥ a_min    B: score ≥ b_min    C: score ≥ c_min    D: otherwise

  with the defaults A ≥ 64 (every input "较高" or above), B ≥ 42, C ≥ 20. Every input "一般" (3) scores 36,
  grade C; every input "较低" (2) scores 16, grade D.

The product of sums is monotone in each input, so raising any input never lowers the grade, whatever the
thresholds (as long as a_min ≥ b_min ≥ c_min): the property the tests check with hypothesis.
"""

from __future__ import annotations

from dataclasses import dataclass

LOW, HIGH = 1, 5
SCORE_MIN, SCORE_MAX = (LOW + LOW) * (LOW + LOW), (HIGH + HIGH) * (HIGH + HIGH)
GRADES = ("A", "B", "C", "D")  # from the highest risk to the lowest


@dataclass(frozen=True)
class Thresholds:
    """The lowest score of grades A, B and C (D is everything below C)."""

    a_min: int = 64
    b_min: int = 42
    c_min: int = 20

    def __post_init__(self) -> None:
        if not SCORE_MIN <= self.c_min <= self.b_min <= self.a_min <= SCORE_MAX:
            raise ValueError(f"thresholds must satisfy {SCORE_MIN} ≤ C ≤ B ≤ A ≤ {SCORE_MAX}: {self}")


DEFAULT = Thresholds()


@dataclass(frozen=True)
class Inputs:
    """The four grading inputs, each 1 (lowest) to 5 (highest)."""

    importance: int  # 权力的重要程度
    discretion: int  # 自由裁量权的大小
    probability: int  # 腐败现象发生的概率
    harm: int  # 危害程度

    def __post_init__(self) -> None:
        for name in ("importance", "discretion", "probability", "harm"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not LOW <= value <= HIGH:
                raise ValueError(f"{name} must be an integer {LOW}..{HIGH}, not {value!r}")


def score(inputs: Inputs) -> int:
    """Exposure × impact: (discretion + probability) × (importance + harm), 4..100."""
    return (inputs.discretion + inputs.probability) * (inputs.importance + inputs.harm)


def grade_of_score(value: int, thresholds: Thresholds = DEFAULT) -> str:
    if value >= thresholds.a_min:
        return "A"
    if value >= thresholds.b_min:
        return "B"
    if value >= thresholds.c_min:
        return "C"
    return "D"


def grade(inputs: Inputs, thresholds: Thresholds = DEFAULT) -> str:
    """The point's grade, "A" (highest risk) to "D"."""
    return grade_of_score(score(inputs), thresholds)


def rank(letter: str) -> int:
    """A → 3 … D → 0: higher is riskier (a grade change is a downgrade when the rank falls)."""
    return len(GRADES) - 1 - GRADES.index(letter)
