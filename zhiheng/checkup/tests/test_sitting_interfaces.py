"""The online sitting through the pages and the API (R-GATE-1), per persona: the candidate starts, answers
(autosave) and hands in; the commission sees where it stands and marks it; the questions are the candidate's
only while answering, the answers and the key the commission's only once it closed; every opening of the
answers is a ledger entry."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.checkup.models import ExamSitting, OnlineSitting
from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import PASSWORD

from .test_sitting import START, ids, paper  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
NOT_SEEING = ("principal", "staff", "other_admin", "outsider")


def _as(client, person):
    client.logout()
    client.login(username=person.username, password=PASSWORD)
    return client


def _reads() -> int:
    return Entry.objects.filter(event_type="checkup.answers_read").count()


def test_the_candidate_sits_the_paper_on_the_pages_and_the_commission_marks_it(client, world, paper):  # noqa: F811
    base = f"/checkup/people/{world.deputy.username}/"
    with clock.frozen(START):
        candidate = _as(client, world.deputy)
        page = candidate.get(base).content.decode()
        assert 'data-testid="start-sitting"' in page and "开始在线考试" in page
        started = candidate.post(base + f"papers/{paper.pk}/start/")
        assert started.status_code == 302 and started["Location"].endswith(f"papers/{paper.pk}/sit/")
        sheet = candidate.get(base + f"papers/{paper.pk}/sit/").content.decode()
        assert 'data-seconds-left="5400"' in sheet and "中央八项规定出台于哪一年？" in sheet
        saved = candidate.post(
            base + f"papers/{paper.pk}/sit/answers/",
            {f"q{ids('single')}": "1", f"q{ids('true_false')}": "false", f"q{ids('short')}": "分权"},
            HTTP_HX_REQUEST="true",
        )
        assert saved.status_code == 200 and "已自动保存" in saved.content.decode()
        # the key is the commission's, and the sitting is not theirs to mark
        assert candidate.get(base + f"papers/{paper.pk}/mark/").status_code == 404
    with clock.frozen(START + dt.timedelta(minutes=20)):
        handed = candidate.post(
            base + f"papers/{paper.pk}/sit/submit/",
            {
                f"q{ids('single')}": "1",
                f"q{ids('multiple')}": ["0", "1", "2"],
                f"q{ids('true_false')}": "false",
            },
        )
        assert handed.status_code == 302
        after = candidate.get(base + f"papers/{paper.pk}/sit/").content.decode()
        assert "中央八项规定" not in after and "已交卷，待评阅" in after
    with clock.frozen(START + dt.timedelta(days=1)):
        admin = _as(client, world.admin)
        listed = admin.get(base).content.decode()
        assert f'data-testid="mark-{paper.pk}"' in listed
        before = _reads()
        sheet = admin.get(base + f"papers/{paper.pk}/mark/").content.decode()
        assert _reads() == before + 1 and "标准答案" in sheet
        assert admin.post(base + f"papers/{paper.pk}/mark/", {f"p{ids('short')}": "99"}).status_code == 422
        marked = admin.post(base + f"papers/{paper.pk}/mark/", {f"p{ids('short')}": "25"})
        assert marked.status_code == 302
    # the last answers on the form counted: all four right, the short one whole by the marker
    assert ExamSitting.objects.get().score == 100
    assert OnlineSitting.objects.get().sitting_id == ExamSitting.objects.get().pk


def test_while_answering_only_the_candidate_sees_the_questions(client, world, paper):  # noqa: F811
    base = f"/checkup/people/{world.deputy.username}/papers/{paper.pk}/"
    with clock.frozen(START):
        _as(client, world.deputy).post(base + "start/")
        admin = _as(client, world.admin)
        status = admin.get(base + "sit/").content.decode()
        assert "中央八项规定" not in status and "作答中" in status
        marking = admin.get(base + "mark/").content.decode()
        assert "中央八项规定" not in marking and "考生仍在作答" in marking
        assert admin.post(base + "start/").status_code == 403
        assert admin.post(base + "sit/answers/", {}).status_code == 403
        for persona in NOT_SEEING:
            other = _as(client, getattr(world, persona))
            assert other.get(base + "sit/").status_code == 404
            assert other.post(base + "sit/answers/", {}).status_code == 404
    assert _reads() == 0


def test_the_api_round_trip(api_client, world, paper):  # noqa: F811
    path = f"/api/v1/people/{world.deputy.username}/papers/{paper.pk}/sitting"
    candidate = api_client.as_(world.deputy)
    admin = api_client.as_(world.admin)
    with clock.frozen(START):
        assert admin.post(path).status_code == 403
        started = candidate.post(path)
        assert started.status_code == 201, started.content
        body = started.json()
        assert body["status"] == "in_progress" and body["seconds_left"] == 5400
        assert len(body["questions"]) == 4 and body["answers"] == {} and body["marks"] is None
        assert "answer" not in body["questions"][0]
        saved = candidate.put(path + "/answers", {"answers": {ids("single"): [1], ids("short"): "分权"}})
        assert saved.status_code == 200 and saved.json()["answers"] is None
        bad = candidate.put(path + "/answers", {"answers": {ids("single"): [9]}})
        assert bad.status_code == 422 and bad.json()["error"]["rule"] == "R-GATE-1"
        assert admin.get(path).json()["answers"] is None  # not while the candidate answers
    with clock.frozen(START + dt.timedelta(hours=2)):
        late = candidate.put(path + "/answers", {"answers": {}})
        assert late.status_code == 409 and late.json()["error"]["rule"] == "R-GATE-1"
        seen = admin.get(path).json()
        assert seen["status"] == "awaiting_marking" and seen["answers"][ids("short")] == "分权"
        marked = admin.post(path + "/marks", {"points": {ids("short"): 10}})
        assert marked.status_code == 201, marked.content
        assert marked.json() == {"attempt": 1, "score": "35.0", "passed": False, "sat_on": "2026-03-02"}
        assert candidate.get(path).json()["status"] == "marked"
        again = admin.post(path + "/marks", {"points": {ids("short"): 10}})
        assert again.status_code == 409
