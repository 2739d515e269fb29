"""The grading function without a database: the documented examples, bounds, and monotonicity (raising any
input never lowers the grade) under any ordered thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiheng.riskregister import grading
from zhiheng.riskregister.grading import Inputs, Thresholds

level = st.integers(min_value=1, max_value=5)
inputs = st.builds(Inputs, importance=level, discretion=level, probability=level, harm=level)


@st.composite
def thresholds(draw):
    c, b, a = sorted(
        draw(st.lists(st.integers(grading.SCORE_MIN, grading.SCORE_MAX), min_size=3, max_size=3))
    )
    return Thresholds(a_min=a, b_min=b, c_min=c)


@pytest.mark.parametrize(
    ("values", "score", "grade"),
    [
        ((5, 5, 5, 5), 100, "A"),
        ((4, 4, 4, 4), 64, "A"),  # every input "较高": A
        ((4, 3, 3, 4), 48, "B"),
        ((3, 3, 3, 3), 36, "C"),  # every input "一般": C
        ((2, 3, 2, 3), 25, "C"),
        ((2, 2, 2, 2), 16, "D"),  # every input "较低": D
        ((1, 1, 1, 1), 4, "D"),
    ],
)
def test_the_documented_examples(values, score, grade):
    point = Inputs(*values)
    assert grading.score(point) == score
    assert grading.grade(point) == grade


@given(inputs)
def test_the_score_stays_within_its_bounds(point):
    assert grading.SCORE_MIN <= grading.score(point) <= grading.SCORE_MAX
    assert grading.grade(point) in grading.GRADES


@given(inputs, st.sampled_from(["importance", "discretion", "probability", "harm"]), thresholds())
def test_raising_any_input_never_lowers_the_grade(point, name, limits):
    value = getattr(point, name)
    if value == grading.HIGH:
        return
    raised = Inputs(**{**point.__dict__, name: value + 1})
    assert grading.score(raised) > grading.score(point)
    assert grading.rank(grading.grade(raised, limits)) >= grading.rank(grading.grade(point, limits))


@given(thresholds())
def test_the_extremes_are_the_extreme_grades_under_sensible_thresholds(limits):
    top, bottom = Inputs(5, 5, 5, 5), Inputs(1, 1, 1, 1)
    assert grading.rank(grading.grade(top, limits)) >= grading.rank(grading.grade(bottom, limits))
    if limits.c_min > grading.SCORE_MIN:
        assert grading.grade(bottom, limits) == "D"
    assert grading.grade(top, limits) == "A"


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5])
def test_inputs_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        Inputs(bad, 3, 3, 3)


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError):
        Thresholds(a_min=30, b_min=40, c_min=20)
