"""Exam papers from a question bank (R-GATE-1), as pure functions over plain values: no model, no clock.

A blueprint says how many questions of each (category, difficulty) a paper holds — e.g. five 党纪法规
questions of difficulty 2. A paper is drawn for one candidate from the bank with a seed: which questions,
in which order, and for a choice question in which order its options appear. The seed is recorded with
the paper (and in the ledger), so the same paper can be drawn again at any time and shown to be the one
the candidate sat — nobody can claim a paper was picked to help or to fail someone.

The draw: the bank's questions of each cell sorted by id (so the bank's storage order does not matter),
`random.Random(seed).sample` per cell in sorted cell order, one shuffle of the whole paper, then each
choice question's options shuffled. Same bank, blueprint and seed → the same paper, on any machine
(CPython's Mersenne Twister and its sample/shuffle are stable across versions for integer seeds).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Cell = tuple[str, int]  # (category, difficulty)
CHOICE_KINDS = frozenset({"single", "multiple"})
# What a paper holds unless the commission says otherwise: 20 questions over four categories.
DEFAULT_BLUEPRINT: dict[Cell, int] = {
    ("党纪法规", 1): 5,
    ("党纪法规", 2): 3,
    ("廉洁从政", 1): 4,
    ("廉洁从政", 2): 3,
    ("警示案例", 2): 3,
    ("财经纪律", 3): 2,
}


@dataclass(frozen=True)
class BankQuestion:
    """What the draw needs of a question: its id, where it sits in the blueprint, and its options."""

    id: int
    category: str
    difficulty: int
    kind: str
    options: int = 0  # how many options a choice question has


@dataclass(frozen=True)
class PaperQuestion:
    id: int
    option_order: tuple[int, ...] = ()  # for choice questions: the bank's option indexes, as shown


@dataclass(frozen=True)
class Paper:
    seed: int
    questions: tuple[PaperQuestion, ...]

    def counts(self, bank: Mapping[int, BankQuestion]) -> Counter[Cell]:
        return Counter((bank[q.id].category, bank[q.id].difficulty) for q in self.questions)


class BlueprintUnmet(ValueError):
    """The bank holds fewer questions of some cells than the blueprint asks: {cell: (asked, available)}."""

    def __init__(self, short: dict[Cell, tuple[int, int]]) -> None:
        super().__init__(short)
        self.short = short


def shortages(bank: Iterable[BankQuestion], blueprint: Mapping[Cell, int]) -> dict[Cell, tuple[int, int]]:
    """The cells the bank cannot fill: {cell: (asked, available)}; {} when the blueprint can be met."""
    have = Counter((q.category, q.difficulty) for q in bank)
    return {cell: (n, have[cell]) for cell, n in sorted(blueprint.items()) if n > have[cell]}


def draw(bank: Sequence[BankQuestion], blueprint: Mapping[Cell, int], seed: int) -> Paper:
    """One candidate's paper: exactly `blueprint[cell]` distinct questions of every cell, in random order,
    reproducible from `seed`. Raises BlueprintUnmet (listing every short cell) when the bank cannot."""
    short = shortages(bank, blueprint)
    if short:
        raise BlueprintUnmet(short)
    rng = random.Random(seed)  # noqa: S311 — reproducible from a recorded seed on purpose; the seed is secret-drawn
    by_cell: dict[Cell, list[BankQuestion]] = {}
    for q in sorted(bank, key=lambda q: q.id):
        by_cell.setdefault((q.category, q.difficulty), []).append(q)
    chosen: list[BankQuestion] = []
    for cell in sorted(blueprint):
        if blueprint[cell] > 0:
            chosen += rng.sample(by_cell[cell], blueprint[cell])
    rng.shuffle(chosen)
    questions = []
    for q in chosen:
        order: tuple[int, ...] = ()
        if q.kind in CHOICE_KINDS and q.options:
            shown = list(range(q.options))
            rng.shuffle(shown)
            order = tuple(shown)
        questions.append(PaperQuestion(q.id, order))
    return Paper(seed, tuple(questions))
