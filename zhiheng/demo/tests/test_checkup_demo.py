"""The check-up's demo (issue 16): the commission's queue, a disqualified candidate, and RF3 at the
moment of approval — as the people concerned meet them."""

from __future__ import annotations

import pytest

from zhiheng.accounts.models import Person
from zhiheng.checkup import selectors
from zhiheng.core.errors import Forbidden
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.matters import rules as matter_rules
from zhiheng.matters.models import Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return restore_demo()


def test_the_checkup_demo_tells_its_stories(demo, client):
    admin = Person.objects.get(username="jiangbei-admin")
    queue = list(selectors.verification_queue(admin))
    assert queue[0].person.username == "jb-fsz-deputy2" and queue[0].risk_score > queue[-1].risk_score

    out = selectors.integrity_of(Person.objects.get(username="nc-yqx-staff1"))
    assert out["exam"]["status"] == "disqualified"
    assert selectors.prerequisites(Person.objects.get(username="yc-sll-deputy1")) == []

    # RF3 at approval: the repair contract with the spouse's company waits, and the deputy may only refer it.
    deputy = Person.objects.get(username="jb-fsz-deputy2")
    waiting = Matter.objects.get(deputy=deputy, state="submitted", title="镇政府办公楼外墙维修")
    with pytest.raises(Forbidden) as refused:
        matter_rules.ensure_approve(deputy, waiting)
    assert refused.value.rule == "RF3"
    assert matter_rules.can_refer(deputy, waiting)
    client.force_login(deputy)
    page = client.get(f"/matters/{waiting.pk}/").content.decode()
    assert 'data-testid="declared-ties"' in page and 'data-testid="approve"' not in page


def test_each_district_keeps_a_bank_and_each_sitting_had_a_paper_that_draws_again(demo, client):
    from zhiheng.checkup.models import ExamSitting, Paper, Question
    from zhiheng.checkup.services import redraw
    from zhiheng.demo.exam_bank import QUESTIONS
    from zhiheng.org.models import District

    for district in District.objects.all():
        assert Question.objects.filter(district=district).count() == len(QUESTIONS)
    # every sitting had its paper drawn that day; two papers more wait online (one to mark, one to start)
    for sitting in ExamSitting.objects.all():
        assert Paper.objects.filter(person=sitting.person, generated_at__date__lte=sitting.sat_on).exists()
    assert Paper.objects.count() == ExamSitting.objects.count() + 2
    for paper in Paper.objects.all():
        again = redraw(paper)
        assert [{"id": q.id, "options": list(q.option_order)} for q in again.questions] == paper.questions
        assert len(paper.questions) == 20
    client.force_login(Person.objects.get(username="jiangbei-admin"))
    page = client.get("/checkup/bank/jiangbei/").content.decode()
    assert f"题目（共 {len(QUESTIONS)} 道）" in page


def test_the_commissions_workbench_counts_the_declarations_awaiting_verification(demo, client):
    import re

    client.force_login(Person.objects.get(username="jiangbei-admin"))
    page = client.get("/").content.decode()
    tile = re.search(
        r'href="/checkup/" data-testid="tile-admin-jiangbei-checkup-queue"><strong class="wb-count">(\d+)</strong>',
        page,
    )
    # jb-fsz-deputy2: score 40, opinion 待核实; jb-fsz-deputy1 is in order (score 0, 无异议)
    assert tile and int(tile.group(1)) >= 1


def test_a_candidates_workbench_shows_their_checklist(demo, client):
    import re

    def tile(username):
        client.force_login(Person.objects.get(username=username))
        page = client.get("/").content.decode()
        found = re.search(
            r'data-testid="tile-[a-z0-9-]+-my-checkup"><strong class="wb-count">(\d+)</strong>', page
        )
        return int(found.group(1)) if found else None

    assert tile("jb-fsz-deputy1") == 0  # in order
    assert tile("jb-fsz-deputy2") == 1  # the opinion is still 待核实
    assert tile("jb-fsz-principal") is None  # no check-up begun


def test_the_yuquan_appointment_decides_on_candidates_whose_gates_are_in_order(demo):
    from zhiheng.meetings.eligibility import candidate_prerequisites
    from zhiheng.meetings.models import Meeting

    item = Meeting.objects.get(unit__code="nc-yqx").items.get()
    candidates = list(item.candidates.select_related("person"))
    assert [c.person.username for c in candidates] == ["nc-yqx-staff4", "nc-yqx-staff5"]
    assert all(candidate_prerequisites(c) == [] for c in candidates)
    assert item.decision == "passed" and item.winner.name == "罗晓梅"


def test_a_candidates_integrity_archive_gathers_at_least_four_categories(demo, client):
    """R-GATE-3: the archive the commission issues its opinion from — declarations, exams, the opinion, and
    the entries the commissions wrote by hand (a complaint found unsubstantiated, a reminder talk)."""
    from zhiheng.checkup import services

    admin = Person.objects.get(username="jiangbei-admin")
    clean = Person.objects.get(username="jb-fsz-deputy1")
    shown = services.read_archive(by=admin, person=clean)
    categories = {r.category for r in shown.rows}
    assert len(categories) >= 4 and {"family", "assets", "checkup", "reports"} <= categories
    assert any(r.subcategory == "unsubstantiated" and "查无实据" in r.title for r in shown.rows)
    talked = Person.objects.get(username="nc-yqx-deputy1")
    rows = services.read_archive(by=Person.objects.get(username="nanchuan-admin"), person=talked).rows
    assert any(r.category == "discipline" and r.subcategory == "talk" for r in rows)
    assert len({r.category for r in rows}) >= 4

    client.force_login(admin)
    page = client.get("/checkup/people/jb-fsz-deputy1/archive/").content.decode()
    assert "征地补偿" in page and "信访举报" in page and 'data-testid="archive-form"' in page


def test_the_online_sittings_wait_for_whom_they_need(demo, client):
    """永川 sits online (R-GATE-1): one sitting marked into a pass, one handed in and on the commission's
    工作台 to mark, and a paper on 鱼泉乡's second deputy's 工作台 to start."""
    import re

    from zhiheng.checkup.models import OnlineSitting

    first = OnlineSitting.objects.get(paper__person__username="yc-sll-deputy1")
    assert first.sitting is not None and first.sitting.passed and first.submitted_at is not None
    admin = Person.objects.get(username="yongchuan-admin")
    waiting = list(selectors.awaiting_marking(admin))
    assert [s.paper.person.username for s in waiting] == ["yc-sll-deputy2"]
    client.force_login(admin)
    home = client.get("/").content.decode()
    assert re.search(r'data-testid="tile-admin-yongchuan-checkup-marking"><strong class="wb-count">1<', home)
    queue = client.get("/checkup/").content.decode()
    assert 'data-testid="marking-queue"' in queue and "评阅" in queue
    sitter = Person.objects.get(username="nc-yqx-deputy2")
    assert selectors.paper_to_sit(sitter) is not None
    client.force_login(sitter)
    assert re.search(r'data-testid="tile-[a-z0-9-]+-my-exam"', client.get("/").content.decode())
    assert 'data-testid="start-sitting"' in client.get("/checkup/people/nc-yqx-deputy2/").content.decode()
