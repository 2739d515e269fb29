"""The exam bank from Excel and the candidates' papers (R-GATE-1): all or nothing, every row error
named; papers drawn by the commission only, recorded with their seed and drawn again identically."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from zhiheng.checkup import bank_excel
from zhiheng.checkup.errors import BadBankFile, BankTooSmall
from zhiheng.checkup.models import Question
from zhiheng.checkup.services import exams
from zhiheng.core.errors import Forbidden
from zhiheng.ledger.models import Entry

pytestmark = pytest.mark.django_db


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


GOOD = [
    ["单选", "党纪法规", 1, "中央八项规定出台于哪一年？", "2010\n2012\n2014\n2016", "B"],
    [
        "多选",
        "廉洁从政",
        2,
        "下列哪些属于“三重一大”事项？",
        "重大决策\n重要干部任免\n重大项目安排\n日常考勤",
        "ABC",
    ],
    ["判断", "党纪法规", 1, "一把手可以直接分管财务。", "", "错"],
    ["简答", "警示案例", 3, "简述“一把手”分权制衡的意义。", "", ""],
]


def xlsx(rows, headers=bank_excel.HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_file_fills_the_bank_and_the_ledger_and_reads_back_the_same(world):
    created = exams.import_questions(by=world.admin, district=world.district, data=xlsx(GOOD))
    assert [q.kind for q in created] == ["single", "multiple", "true_false", "short"]
    single, multiple, true_false, _short = created
    assert (single.answer, multiple.answer, true_false.answer) == ([1], [0, 1, 2], False)
    entry = Entry.objects.get(event_type="checkup.questions_imported")
    assert payload(entry)["imported"] == 4
    again = bank_excel.read(bank_excel.write(list(Question.objects.order_by("pk"))))
    assert again.errors == [] and again.questions == bank_excel.read(xlsx(GOOD)).questions


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["填空", "党纪法规", 1, "题干", "", "x"], "题型"),
        (["单选", "", 1, "题干", "A\nB", "A"], "类别"),
        (["单选", "党纪法规", 4, "题干", "A\nB", "A"], "难度"),
        (["单选", "党纪法规", 1, "", "A\nB", "A"], "题干"),
        (["单选", "党纪法规", 1, "题干", "只有一个选项", "A"], "选项"),
        (["单选", "党纪法规", 1, "题干", "甲\n乙", "C"], "答案"),
        (["单选", "党纪法规", 1, "题干", "甲\n乙", "AB"], "答案"),
        (["多选", "党纪法规", 1, "题干", "甲\n乙\n丙", "A"], "答案"),
        (["判断", "党纪法规", 1, "题干", "", "也许"], "答案"),
        (["判断", "党纪法规", 1, "题干", "甲\n乙", "对"], "选项"),
    ],
)
def test_any_bad_row_imports_nothing_and_is_named_with_its_row_and_column(world, row, column):
    before = (Question.objects.count(), Entry.objects.count())
    with pytest.raises(BadBankFile) as refused:
        exams.import_questions(by=world.admin, district=world.district, data=xlsx([*GOOD, row]))
    assert refused.value.rule == "R-GATE-1"
    assert [(e["row"], e["column"]) for e in refused.value.detail["rows"]] == [(len(GOOD) + 2, column)]
    assert (Question.objects.count(), Entry.objects.count()) == before


def test_not_a_spreadsheet_and_a_wrong_header_are_refused(world):
    for data in (b"not a workbook", xlsx(GOOD, headers=["题目", "答案"])):
        with pytest.raises(BadBankFile):
            exams.import_questions(by=world.admin, district=world.district, data=data)
    assert not Question.objects.exists()


def test_only_the_districts_commission_keeps_the_bank(world):
    for person in (world.principal, world.deputy, world.staff, world.other_admin):
        with pytest.raises(Forbidden):
            exams.import_questions(by=person, district=world.district, data=xlsx(GOOD))
    assert not Question.objects.exists()


def _bank(world, per_cell=5):
    rows = [
        ["单选", category, d, f"{category}第{d}级第{i}题", "甲\n乙\n丙\n丁", "A"]
        for category in ("党纪法规", "廉洁从政")
        for d in (1, 2)
        for i in range(per_cell)
    ]
    exams.import_questions(by=world.admin, district=world.district, data=xlsx(rows))


BLUEPRINT = {("党纪法规", 1): 3, ("党纪法规", 2): 2, ("廉洁从政", 1): 2}


def test_a_paper_is_drawn_by_the_commission_recorded_and_drawn_again_identically(world):
    _bank(world)
    paper = exams.draw_paper(
        by=world.admin, person=world.deputy, district=world.district, blueprint=BLUEPRINT
    )
    assert len(paper.questions) == 7 and all(sorted(q["options"]) == [0, 1, 2, 3] for q in paper.questions)
    entry = Entry.objects.get(event_type="checkup.paper_drawn")
    assert payload(entry)["seed"] == str(paper.seed) and payload(entry)["questions"] == paper.questions
    # The bank changes afterwards: a question retired, new ones added. The paper still draws the same.
    Question.objects.filter(pk=paper.questions[0]["id"]).update(active=False)
    _bank(world, per_cell=2)
    redrawn = exams.redraw(paper)
    assert [{"id": q.id, "options": list(q.option_order)} for q in redrawn.questions] == paper.questions


def test_a_bank_too_small_is_refused_naming_the_short_cells_and_records_nothing(world):
    _bank(world, per_cell=1)
    before = Entry.objects.count()
    with pytest.raises(BankTooSmall) as refused:
        exams.draw_paper(by=world.admin, person=world.deputy, district=world.district, blueprint=BLUEPRINT)
    assert refused.value.detail["short"] == [
        {"category": "党纪法规", "difficulty": 1, "asked": 3, "available": 1},
        {"category": "党纪法规", "difficulty": 2, "asked": 2, "available": 1},
        {"category": "廉洁从政", "difficulty": 1, "asked": 2, "available": 1},
    ]
    assert Entry.objects.count() == before


def test_nobody_but_the_commission_draws_a_paper(world):
    _bank(world)
    for person in (world.deputy, world.principal, world.other_admin):
        with pytest.raises(Forbidden):
            exams.draw_paper(by=person, person=world.deputy, district=world.district, blueprint=BLUEPRINT)


# ------------------------------------------------------------------------------------- through the API


def test_the_commission_imports_through_the_api_and_a_bad_file_names_its_rows(world, client):
    from zhiheng.matters.tests.conftest import bearer_client

    admin = bearer_client(world.admin)
    url = f"/api/v1/districts/{world.district.code}/exam-questions"
    bad = admin.post(url, {"file": _file(xlsx([*GOOD, ["单选", "党纪法规", 9, "题干", "甲\n乙", "A"]]))})
    assert bad.status_code == 422 and bad.json()["error"]["rule"] == "R-GATE-1"
    assert bad.json()["error"]["detail"]["rows"] == [
        {"row": 6, "column": "难度", "message": bank_excel_message()}
    ]
    assert not Question.objects.exists()
    good = admin.post(url, {"file": _file(xlsx(GOOD))})
    assert good.status_code == 201 and good.json() == {"imported": 4}
    listed = admin.get(url).json()
    assert listed["count"] == 4 and listed["items"][0]["stem"]
    for outsider in (world.deputy, world.other_admin):
        assert bearer_client(outsider).get(url).status_code == 404


def test_a_paper_through_the_api_reproduces_and_stays_with_the_commission(world):
    from zhiheng.matters.tests.conftest import bearer_client

    _bank(world)
    admin = bearer_client(world.admin)
    url = f"/api/v1/people/{world.deputy.username}/papers"
    body = {"blueprint": [{"category": "党纪法规", "difficulty": 1, "count": 3}]}
    drawn = admin.post(url, body, content_type="application/json")
    assert drawn.status_code == 201, drawn.content
    paper = drawn.json()
    assert paper["reproduces"] is True and [q["number"] for q in paper["questions"]] == [1, 2, 3]
    assert all(sorted(q["options"]) == ["丁", "丙", "乙", "甲"] for q in paper["questions"])
    assert admin.get(f"{url}/{paper['id']}").json()["questions"] == paper["questions"]
    deputy = bearer_client(world.deputy)
    assert deputy.post(url, body, content_type="application/json").status_code == 403
    assert (
        deputy.get(f"{url}/{paper['id']}").status_code == 404
    )  # the questions stay secret before the sitting
    too_many = admin.post(
        url,
        {"blueprint": [{"category": "警示案例", "difficulty": 3, "count": 1}]},
        content_type="application/json",
    )
    assert too_many.status_code == 409 and too_many.json()["error"]["detail"]["short"][0]["available"] == 0


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("题库.xlsx", data)


def bank_excel_message() -> str:
    return "难度应为 1（易）、2（中）或 3（难）"


# ------------------------------------------------------------------------------------------- the pages


def test_the_commission_keeps_the_bank_on_its_page(world, client):
    client.force_login(world.admin)
    assert f'data-testid="bank-{world.district.code}"' in client.get("/checkup/").content.decode()
    url = f"/checkup/bank/{world.district.code}/"
    bad = client.post(url + "import/", {"file": _file(xlsx([["判断", "党纪法规", 1, "题干", "", "也许"]]))})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'data-testid="bank-errors"' in page and "判断题答案应为“对”或“错”" in page
    assert not Question.objects.exists()
    assert client.post(url + "import/", {"file": _file(xlsx(GOOD))}).status_code == 302
    listed = client.get(url).content.decode()
    assert all(row[3] in listed for row in GOOD) and "单选题" in listed and "single" not in listed
    exported = bank_excel.read(client.get(url + "export/").content).questions  # by category, difficulty

    def by_stem(qs):
        return sorted(qs, key=lambda q: q["stem"])

    assert by_stem(exported) == by_stem(bank_excel.read(xlsx(GOOD)).questions)


def test_the_commission_draws_a_paper_from_the_candidates_page_and_prints_it(world, client):
    _bank(world)
    client.force_login(world.deputy)
    assert (
        'data-testid="paper-form"'
        not in client.get(f"/checkup/people/{world.deputy.username}/").content.decode()
    )
    client.force_login(world.admin)
    person_url = f"/checkup/people/{world.deputy.username}/"
    assert 'data-testid="paper-form"' in client.get(person_url).content.decode()
    drawn = client.post(person_url + "papers/", {"blueprint": "党纪法规,1,3\n廉洁从政,2,2"})
    assert drawn.status_code == 302
    paper = client.get(drawn["Location"]).content.decode()
    assert (
        'data-testid="paper-reproduces"' in paper and paper.count('<ol class="paper-options" type="A">') == 5
    )
    assert "single" not in paper and "单选题" in paper
    refused = client.post(person_url + "papers/", {"blueprint": "党纪法规,9,3"})
    assert refused.status_code == 422
