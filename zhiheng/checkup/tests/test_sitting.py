"""The online sitting (R-GATE-1): the candidate alone starts, answers and submits, within the time limit in
force at the start; the commission marks the short answers and the score becomes the candidate's sitting in
turn. The ways round it — answering late, peeking and walking away, restarting for a new deadline, marking
twice — are refused with the rule, writing nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiheng.checkup import marking, sealing, selectors, services
from zhiheng.checkup.errors import (
    BadAnswers,
    NoSittingLeft,
    NotTheCandidate,
    NotYetMarkable,
    SittingClosed,
    SittingUnfinished,
)
from zhiheng.checkup.models import OnlineSitting, Question
from zhiheng.checkup.services import exams
from zhiheng.core import clock
from zhiheng.core.errors import Forbidden
from zhiheng.ledger.models import Entry

from .test_exams import GOOD, xlsx

pytestmark = pytest.mark.django_db
START = clock.at(dt.date(2026, 3, 2), 9)
# one question of each kind: single (answer B), multiple (ABC), true/false (错), short
BLUEPRINT = {("党纪法规", 1): 2, ("廉洁从政", 2): 1, ("警示案例", 3): 1}


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


@pytest.fixture
def paper(world):
    with clock.frozen(START - dt.timedelta(days=1)):
        exams.import_questions(by=world.admin, district=world.district, data=xlsx(GOOD))
        return exams.draw_paper(by=world.admin, person=world.deputy, blueprint=BLUEPRINT, seed=7)


def ids(kind: str) -> str:
    return str(Question.objects.get(kind=kind).pk)


def right_answers() -> dict:
    return {
        ids("single"): [1],
        ids("multiple"): [0, 1, 2],
        ids("true_false"): False,
        ids("short"): "分权制衡",
    }


def started(world, paper, at=START) -> OnlineSitting:
    with clock.frozen(at):
        return services.start_sitting(by=world.deputy, paper=paper)


def test_the_candidate_starts_answers_submits_and_the_commission_marks_it_into_a_sitting(world, paper):
    sitting = started(world, paper)
    assert sitting.deadline == START + dt.timedelta(minutes=90)  # the time limit in force (default 90)
    with clock.frozen(START + dt.timedelta(minutes=10)):
        services.save_answers(by=world.deputy, sitting=sitting, answers=right_answers())
    with clock.frozen(START + dt.timedelta(minutes=30)):
        sitting = services.submit(by=world.deputy, sitting=sitting)
    # the choice questions are marked on submission; the short answer waits for a person
    assert sorted(sitting.marks.values()) == ["1", "1", "1"]
    assert selectors.status_of(sitting) == "awaiting_marking"
    with clock.frozen(START + dt.timedelta(days=1)):
        exam = services.mark(by=world.admin, sitting=sitting, points={ids("short"): "12.5"})
    # 3 right of 4 questions, the short one at half its 25 points: 87.5
    assert exam.score == Decimal("87.5") and exam.attempt == 1 and exam.passed
    assert exam.sat_on == START.date()
    entry = Entry.objects.get(event_type="checkup.exam_recorded")
    assert payload(entry)["paper"] == paper.pk and payload(entry)["score"] == "87.5"
    submitted = payload(Entry.objects.get(event_type="checkup.sitting_submitted"))
    assert submitted["answered"] == 4 and submitted["out_of_time"] is False
    assert selectors.status_of(OnlineSitting.objects.get()) == "marked"


def test_answers_are_sealed_and_every_reading_is_in_the_ledger(world, paper):
    sitting = started(world, paper)
    with clock.frozen(START):
        services.save_answers(by=world.deputy, sitting=sitting, answers={ids("short"): "独一无二的作答文字"})
    row = OnlineSitting.objects.get()
    assert "独一无二".encode() not in bytes(row.sealed_answers)
    assert sealing.unseal(row.sealed_answers) == {ids("short"): "独一无二的作答文字"}
    assert services.read_answers(by=world.admin, sitting=row) == {ids("short"): "独一无二的作答文字"}
    read = Entry.objects.get(event_type="checkup.answers_read")
    assert payload(read)["reader"] == world.admin.username


def test_only_the_candidate_starts_answers_and_submits(world, paper):
    for intruder in (world.admin, world.principal, world.outsider):
        with clock.frozen(START), pytest.raises(NotTheCandidate) as refused:
            services.start_sitting(by=intruder, paper=paper)
        assert refused.value.rule == "R-GATE-1"
    sitting = started(world, paper)
    with clock.frozen(START), pytest.raises(NotTheCandidate):
        services.save_answers(by=world.admin, sitting=sitting, answers={})
    with clock.frozen(START), pytest.raises(NotTheCandidate):
        services.submit(by=world.admin, sitting=sitting)
    with clock.frozen(START), pytest.raises(Forbidden):
        services.mark(by=world.deputy, sitting=sitting, points={})


def test_no_answer_counts_after_the_deadline_and_the_sitting_closes_with_what_was_saved(world, paper):
    sitting = started(world, paper)
    with clock.frozen(START + dt.timedelta(minutes=89)):
        services.save_answers(by=world.deputy, sitting=sitting, answers={ids("single"): [1]})
    with clock.frozen(START + dt.timedelta(minutes=91)), pytest.raises(SittingClosed):
        services.save_answers(by=world.deputy, sitting=sitting, answers=right_answers())
    assert sealing.unseal(OnlineSitting.objects.get().sealed_answers) == {ids("single"): [1]}
    # never submitted: the marker closes it at the deadline, by the system
    with clock.frozen(START + dt.timedelta(days=2)):
        exam = services.mark(by=world.admin, sitting=sitting, points={ids("short"): 0})
    assert exam.score == Decimal("25.0") and not exam.passed
    closed = OnlineSitting.objects.get()
    assert closed.submitted_at == closed.deadline
    assert payload(Entry.objects.get(event_type="checkup.sitting_submitted"))["out_of_time"] is True


def test_a_late_submission_closes_at_the_deadline_and_a_second_changes_nothing(world, paper):
    sitting = started(world, paper)
    with clock.frozen(START + dt.timedelta(hours=5)):
        first = services.submit(by=world.deputy, sitting=sitting)
        again = services.submit(by=world.deputy, sitting=sitting)
    assert first.submitted_at == sitting.deadline == again.submitted_at
    assert Entry.objects.filter(event_type="checkup.sitting_submitted").count() == 1
    with clock.frozen(START + dt.timedelta(hours=6)), pytest.raises(SittingClosed):
        services.save_answers(by=world.deputy, sitting=sitting, answers={})


def test_starting_again_keeps_the_first_deadline(world, paper):
    first = started(world, paper)
    again = started(world, paper, START + dt.timedelta(minutes=80))
    assert again.pk == first.pk and again.deadline == first.deadline
    assert Entry.objects.filter(event_type="checkup.sitting_started").count() == 1


def test_a_started_paper_must_be_marked_before_another_sitting_of_any_kind(world, paper):
    """Peek at the questions, walk away and be given another paper, or a result entered by hand: refused."""
    started(world, paper)
    with clock.frozen(START + dt.timedelta(hours=3)):
        second = exams.draw_paper(by=world.admin, person=world.deputy, blueprint=BLUEPRINT, seed=8)
        with pytest.raises(SittingUnfinished):
            services.start_sitting(by=world.deputy, paper=second)
        with pytest.raises(SittingUnfinished):
            services.record_exam(by=world.admin, person=world.deputy, score=Decimal(90), sat_on=clock.today())
        assert selectors.paper_to_sit(world.deputy) is None
    assert OnlineSitting.objects.count() == 1


def test_marking_needs_a_closed_sitting_every_short_answer_in_range_and_happens_once(world, paper):
    sitting = started(world, paper)
    with clock.frozen(START + dt.timedelta(minutes=5)), pytest.raises(NotYetMarkable):
        services.mark(by=world.admin, sitting=sitting, points={ids("short"): 5})
    with clock.frozen(START + dt.timedelta(minutes=6)):
        services.submit(by=world.deputy, sitting=sitting)
    for points in ({}, {ids("short"): 26}, {ids("short"): -1}, {ids("short"): "x"}, {ids("single"): 25}):
        with clock.frozen(START + dt.timedelta(hours=1)), pytest.raises(BadAnswers) as refused:
            services.mark(by=world.admin, sitting=sitting, points=points)
        assert refused.value.rule == "R-GATE-1"
    with clock.frozen(START + dt.timedelta(hours=1)):
        services.mark(by=world.admin, sitting=sitting, points={ids("short"): 25})
        with pytest.raises(NotYetMarkable):
            services.mark(by=world.admin, sitting=sitting, points={ids("short"): 25})
    assert Entry.objects.filter(event_type="checkup.exam_recorded").count() == 1


def test_bad_answers_are_refused_whole_and_the_last_save_stands(world, paper):
    sitting = started(world, paper)
    with clock.frozen(START):
        services.save_answers(by=world.deputy, sitting=sitting, answers={ids("single"): [1]})
        for bad in (
            {"999999": [0]},
            {ids("single"): [0, 1]},
            {ids("single"): [7]},
            {ids("true_false"): "也许"},
        ):
            with pytest.raises(BadAnswers):
                services.save_answers(by=world.deputy, sitting=sitting, answers={**bad, ids("short"): "x"})
    assert sealing.unseal(OnlineSitting.objects.get().sealed_answers) == {ids("single"): [1]}


def test_a_failed_online_make_up_cancels_the_candidacy(world, paper):
    with clock.frozen(START - dt.timedelta(days=30)):
        services.record_exam(by=world.admin, person=world.deputy, score=Decimal(40), sat_on=clock.today())
    sitting = started(world, paper)
    with clock.frozen(START + dt.timedelta(minutes=1)):
        services.submit(by=world.deputy, sitting=sitting)
        exam = services.mark(by=world.admin, sitting=sitting, points={ids("short"): 0})
    assert exam.attempt == 2 and not exam.passed
    assert Entry.objects.filter(event_type="checkup.candidacy_cancelled").count() == 1
    later = exams.draw_paper(by=world.admin, person=world.deputy, blueprint=BLUEPRINT, seed=9)
    with pytest.raises(NoSittingLeft):
        services.start_sitting(by=world.deputy, paper=later)


@given(
    shares=st.lists(st.sampled_from(["0", "1", "0.5", "0.2", "0.04"]), min_size=1, max_size=40),
)
def test_the_score_is_100_times_the_shares_over_the_questions_and_never_over_100(shares):
    marks = {str(i): share for i, share in enumerate(shares)}
    score = marking.score(marks, len(shares))
    assert Decimal(0) <= score <= Decimal(100)
    exact = sum(Decimal(s) for s in shares) * 100 / len(shares)
    assert abs(score - exact) <= Decimal("0.05")
    if all(s == "1" for s in shares):
        assert score == Decimal(100)


@given(questions=st.integers(min_value=1, max_value=60), data=st.data())
def test_full_points_on_a_short_answer_are_its_whole_share(questions, data):
    worth = marking.worth(questions)
    points = data.draw(st.decimals(min_value=0, max_value=worth, places=2))
    share = Decimal(marking.share_of(points, questions))
    assert Decimal(0) <= share <= Decimal("1.0001")
    assert marking.score({"1": marking.share_of(worth, questions)}, 1) >= Decimal("99.9")


def test_answers_are_in_no_dump_and_rotate_with_the_keys(world, paper, settings, tmp_path):
    from zhiheng.core.tests.dumps import database_dump

    settings.CHECKUP_KEY_FILE = str(tmp_path / "keys")  # a key file of this test's own: it rotates
    secret = "只在密文里的作答：甲乙丙丁"
    sitting = started(world, paper)
    with clock.frozen(START):
        services.save_answers(by=world.deputy, sitting=sitting, answers={ids("short"): secret})
    assert secret not in database_dump()
    old = sealing.read_keys()
    services.rotate_keys()
    assert sealing.read_keys() != old
    assert sealing.unseal(OnlineSitting.objects.get().sealed_answers) == {ids("short"): secret}
