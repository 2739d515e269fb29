"""The paper generator (R-GATE-1; issue 16's "Done when": the blueprint always met, reproducible), as
properties over generated banks, blueprints and seeds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiheng.checkup.papers import BankQuestion, BlueprintUnmet, draw, shortages

CATEGORIES = ["党纪法规", "廉洁从政", "警示案例", "财经纪律"]
KINDS = ["single", "multiple", "true_false", "short"]

question_cells = st.tuples(st.sampled_from(CATEGORIES), st.integers(1, 3))


@st.composite
def banks(draw_, min_size=0, max_size=60):
    cells = draw_(st.lists(question_cells, min_size=min_size, max_size=max_size))
    kinds = draw_(st.lists(st.sampled_from(KINDS), min_size=len(cells), max_size=len(cells)))
    ids = draw_(st.lists(st.integers(1, 10_000), min_size=len(cells), max_size=len(cells), unique=True))
    return [
        BankQuestion(i, c, d, k, options=4 if k in ("single", "multiple") else 0)
        for i, (c, d), k in zip(ids, cells, kinds, strict=True)
    ]


@st.composite
def bank_and_fitting_blueprint(draw_):
    """A bank, and a blueprint asking at most what each cell holds."""
    bank = draw_(banks(min_size=1))
    have: dict[tuple[str, int], int] = {}
    for q in bank:
        have[(q.category, q.difficulty)] = have.get((q.category, q.difficulty), 0) + 1
    blueprint = {cell: draw_(st.integers(0, n)) for cell, n in have.items()}
    return bank, blueprint


seeds = st.integers(0, 2**63 - 1)


@given(bank_and_fitting_blueprint(), seeds)
def test_every_paper_meets_its_blueprint_exactly_with_distinct_questions_of_the_bank(case, seed):
    bank, blueprint = case
    paper = draw(bank, blueprint, seed)
    index = {q.id: q for q in bank}
    ids = [q.id for q in paper.questions]
    assert len(ids) == len(set(ids)) and set(ids) <= set(index)
    assert paper.counts(index) == {cell: n for cell, n in blueprint.items() if n}
    for q in paper.questions:  # a choice question's options are all shown, each once
        source = index[q.id]
        assert sorted(q.option_order) == (
            list(range(source.options)) if source.kind in ("single", "multiple") else []
        )


@given(bank_and_fitting_blueprint(), seeds)
def test_the_same_seed_draws_the_same_paper_whatever_order_the_bank_is_read_in(case, seed):
    bank, blueprint = case
    assert draw(bank, blueprint, seed) == draw(list(reversed(bank)), blueprint, seed)


@given(banks(min_size=0), st.dictionaries(question_cells, st.integers(0, 8), max_size=6), seeds)
def test_a_blueprint_the_bank_cannot_fill_is_refused_naming_every_short_cell(bank, blueprint, seed):
    have = {}
    for q in bank:
        have[(q.category, q.difficulty)] = have.get((q.category, q.difficulty), 0) + 1
    expected = {c: (n, have.get(c, 0)) for c, n in blueprint.items() if n > have.get(c, 0)}
    assert shortages(bank, blueprint) == expected
    try:
        draw(bank, blueprint, seed)
    except BlueprintUnmet as refused:
        assert refused.short == expected and expected
    else:
        assert not expected


def test_different_seeds_draw_different_papers_from_a_large_bank():
    bank = [BankQuestion(i, CATEGORIES[i % 4], 1 + i % 3, "single", 4) for i in range(1, 241)]
    blueprint = {(c, d): 2 for c in CATEGORIES for d in (1, 2, 3)}
    papers = {draw(bank, blueprint, seed) for seed in range(50)}
    assert len(papers) == 50
