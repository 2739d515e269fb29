"""The online sitting in the browser (R-GATE-1, issue 16): the candidate finds the paper waiting on their
工作台, starts it, answers (the sheet saves itself), and hands in; the commission admin finds it on the
candidate's page, marks the short answer and records the score. Screenshots at 1440 and 390 px go to
docs/screenshots/checkup-sit-<width>.png and checkup-mark-<width>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from zhiheng.checkup import services
from zhiheng.checkup.models import ExamSitting, Question
from zhiheng.checkup.tests.test_exams import xlsx
from zhiheng.demo.exam_bank import QUESTIONS

from .conftest import login
from .test_checkup import _shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_candidate_sits_online_and_the_commission_marks_it(page, live_server, world):
    services.import_questions(by=world.admin, district=world.district, data=xlsx(QUESTIONS))
    paper = services.draw_paper(
        by=world.admin, person=world.deputy, blueprint={("党纪法规", 1): 3, ("警示案例", 2): 4}, seed=11
    )
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    login(page, live_server, world.deputy.username)
    page.click("[data-testid$=my-exam]")
    page.click("[data-testid=start-sitting] button[type=submit]")
    expect(page.locator("[data-testid=countdown]")).to_contain_text(":")
    expect(page.locator("[data-testid=answer-sheet] .paper > li")).to_have_count(7)

    for qid in paper.questions:
        question = Question.objects.get(pk=qid["id"])
        field = page.locator(f"[name=q{question.pk}]")
        if question.kind == "short":
            field.fill("一把手不直接分管人财物，重大事项集体决策、末位表态。")
        elif question.kind == "true_false":
            page.locator(f"[name=q{question.pk}][value={'true' if question.answer else 'false'}]").check()
        else:
            field.nth(0).check()
    page.locator("textarea").press("Tab")  # leave the text: the change saves it
    expect(page.locator("[data-testid=saved-at]")).to_contain_text("已自动保存")
    _shoot(page, "sit")
    page.click("[data-testid=submit-sitting]")
    expect(page.locator("[data-testid=online-sittings]")).to_contain_text("已交卷，待评阅")

    page.context.clear_cookies()
    login(page, live_server, world.admin.username)
    page.goto(f"{live_server.url}/checkup/people/{world.deputy.username}/")
    page.click(f"[data-testid=mark-{paper.pk}]")
    expect(page.locator("[data-testid=marking]")).to_contain_text("标准答案")
    page.locator("[data-testid^=points-]").fill("10")
    _shoot(page, "mark")
    page.click("[data-testid=mark-submit]")
    expect(page.locator(".messages")).to_contain_text("已评阅")
    assert ExamSitting.objects.get(person=world.deputy).attempt == 1
