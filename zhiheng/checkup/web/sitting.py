"""The online sitting's pages (R-GATE-1): the candidate starts the paper drawn for them, answers with
autosave while the clock runs and submits; the commission marks the short answers.

The sitting page shows the questions to the candidate only while they are answering; the marking page —
answers beside the key — is the commission's (404 to the candidate, like the printable paper). Opening the
answers is a ledger entry either way (services.read_answers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound

from .. import bank_excel, marking, rules, selectors, services
from ..models import OnlineSitting, Question


def _answers_from(post: QueryDict, sitting: OnlineSitting) -> dict[str, Any]:
    """The form's fields q<id> as the service takes answers: choices as lists, the rest as given."""
    kinds = dict(
        Question.objects.filter(pk__in=[q["id"] for q in sitting.paper.questions]).values_list("pk", "kind")
    )
    answers: dict[str, Any] = {}
    for qid, kind in kinds.items():
        field = f"q{qid}"
        answers[str(qid)] = post.getlist(field) if kind in marking.CHOICE_KINDS else post.get(field, "")
    return answers


def _sitting(request: PersonRequest, username: str, pk: int) -> tuple[Person, OnlineSitting]:
    who = selectors.get_person_for(request.user, username)
    return who, selectors.get_online_for(request.user, who, pk)


@login_required
@require_POST
def start(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    who = selectors.get_person_for(request.user, username)
    paper = selectors.get_person_paper(who, pk)
    services.start_sitting(by=request.user, paper=paper)
    return redirect("checkup:sit", who.username, paper.pk)


@login_required
def sit(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    """The candidate's answer sheet while the clock runs; afterwards, and to the commission, where it
    stands."""
    who, sitting = _sitting(request, username, pk)
    now = clock.now()
    answering = rules.can_sit(request.user, who) and sitting.closed_at(now) is None
    context: dict[str, Any] = {
        "who": who,
        "sitting": sitting,
        "status": selectors.status_of(sitting),
        "answering": answering,
        "may_mark": rules.can_judge(request.user, who),
    }
    if answering:
        answers = services.read_answers(by=request.user, sitting=sitting)
        context |= {
            "questions": _with_answers(selectors.paper_questions(sitting.paper), answers),
            "seconds_left": int((sitting.deadline - now).total_seconds()),
            "letters": bank_excel.LETTERS,
        }
    return render(request, "checkup/sit.html", context)


def _with_answers(questions: list[dict[str, Any]], answers: dict[str, Any]) -> list[dict[str, Any]]:
    for q in questions:
        given = answers.get(str(q["id"]))
        q["given"] = given
        q["chosen"] = set(given) if isinstance(given, list) else set()
    return questions


@login_required
@require_POST
def save(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    """Autosave (htmx, on every change and every 30 s): answers "saved at" as a fragment. Without script,
    the form's own button saves and comes back to the sheet."""
    _who, sitting = _sitting(request, username, pk)
    saved = services.save_answers(
        by=request.user, sitting=sitting, answers=_answers_from(request.POST, sitting)
    )
    if request.headers.get("HX-Request"):
        return render(request, "checkup/sit.html#saved", {"sitting": saved})
    messages.success(request, _("作答已保存"))
    return redirect("checkup:sit", username, pk)


@login_required
@require_POST
def submit(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    """Hand in: the answers on the form are saved first while the clock still runs (what was typed since the
    last autosave counts); after the deadline the last autosave stands."""
    who, sitting = _sitting(request, username, pk)
    if sitting.closed_at(clock.now()) is None:
        services.save_answers(by=request.user, sitting=sitting, answers=_answers_from(request.POST, sitting))
    services.submit(by=request.user, sitting=sitting)
    messages.success(request, _("已交卷，等待纪委评阅简答题"))
    return redirect("checkup:person", who.username)


@login_required
@require_http_methods(["GET", "POST"])
def mark(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    """The commission's marking sheet: each answer beside the key; the short answers get points."""
    who, sitting = _sitting(request, username, pk)
    if not rules.can_judge(request.user, who):
        raise NotFound()  # the key is the commission's
    if request.method == "POST":
        points = {key[1:]: value for key, value in request.POST.items() if key.startswith("p")}
        exam = services.mark(by=request.user, sitting=sitting, points=points)
        messages.success(request, _("已评阅，成绩 %(score)s 分已登记") % {"score": exam.score})
        return redirect("checkup:person", who.username)
    closed = sitting.closed_at(clock.now()) is not None
    questions: list[dict[str, Any]] = []
    if closed:  # while the candidate answers, their answers are theirs alone
        answers = services.read_answers(by=request.user, sitting=sitting)
        questions = selectors.paper_questions(sitting.paper)
        bank = Question.objects.in_bulk([q["id"] for q in questions])
        for q in questions:
            q["given"] = _readable(q, answers.get(str(q["id"])))
            q["key"] = _readable(q, bank[q["id"]].answer)
            q["mark"] = sitting.marks.get(str(q["id"]))
    return render(
        request,
        "checkup/mark.html",
        {
            "who": who,
            "sitting": sitting,
            "status": selectors.status_of(sitting),
            "questions": questions,
            "worth": marking.worth(len(sitting.paper.questions)),
            "closed": closed,
        },
    )


def _readable(question: dict[str, Any], value: Any) -> str:
    """An answer (or the key) as the paper shows it: option letters in the paper's order, 对/错, or the text."""
    if value is None or value == "" or value == []:
        return "—"
    if question["kind"] in marking.CHOICE_KINDS:
        chosen = {int(i) for i in value}
        letters = [
            bank_excel.LETTERS[n] for n, (index, _text) in enumerate(question["choices"]) if index in chosen
        ]
        return "、".join(letters)
    if question["kind"] == "true_false":
        return _("对") if value else _("错")
    return str(value)
