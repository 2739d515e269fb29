"""The check-up's pages (R-GATE-1/2/4): the commission's verification queue (highest risk first), a
candidate's page — the three gates, what is still missing for an appointment (R-MTG-5), the declarations and
exam sittings, and the commission's forms — and one declaration opened (its read recorded in the ledger).

People are found through selectors.get_person_for (404 alike for nobody and for someone else's check-up);
every button comes from rules.actions_for; refusals propagate to web.refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.org import selectors as org
from zhiheng.web import labels
from zhiheng.web.htmx import act_on_form

from .. import rules, selectors, services
from ..checks import CHECKS, ITEMS, readable
from ..models import Declaration
from .forms import ExamForm, OpinionForm

PER_PAGE = 25


def _row(declaration: Declaration) -> dict[str, Any]:
    return {"declaration": declaration, "checks": [CHECKS.get(c, c) for c in declaration.check_codes]}


@login_required
def index(request: PersonRequest) -> HttpResponse:
    """The commission's queue; everyone else sees the way to their own check-up."""
    commission = org.administered_districts(request.user).exists()
    page = None
    if commission:
        page = Paginator(selectors.verification_queue(request.user), PER_PAGE).get_page(
            request.GET.get("page")
        )
    rows = [_row(d) for d in page] if page is not None else []
    return render(request, "checkup/index.html", {"commission": commission, "page": page, "rows": rows})


@login_required
def person(request: PersonRequest, username: str) -> HttpResponse:
    who = selectors.get_person_for(request.user, username)
    summary = selectors.integrity_of(who)
    context = {
        "who": who,
        "summary": summary,
        "exam_label": labels.label("checkup.exam", summary["exam"]["status"]),
        "opinion_label": labels.label("checkup.opinion", summary["opinion"]["status"]),
        "prerequisites": selectors.unmet(summary),
        "declarations": [_row(d) for d in selectors.declarations_of(who)[:20]],
        "sittings": selectors.sittings_of(who),
        "actions": rules.actions_for(request.user, who, selectors.sittings_of(who)),
        "exam_form": ExamForm(),
        "opinion_form": OpinionForm(),
    }
    return render(request, "checkup/person.html", context)


@login_required
def declaration(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    who = selectors.get_person_for(request.user, username)
    found = selectors.get_declaration_for(request.user, who, pk)
    opened = services.read_declaration(by=request.user, declaration=found)
    items = opened["items"]
    shown = [(label, readable(items.get(key)), key in items) for key, label in ITEMS.items()]
    extra = [(key, readable(value), True) for key, value in items.items() if key not in ITEMS]
    return render(
        request,
        "checkup/declaration.html",
        {
            "who": who,
            "declaration": found,
            "items": shown + extra,
            "findings": opened["checks"],
            "labels": CHECKS,
        },
    )


def _by_the_commission(
    request: PersonRequest,
    username: str,
    form: Form,
    call: Callable[[Person, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One of the commission's forms on a candidate's page: the service refuses anyone else."""
    who = selectors.get_person_for(request.user, username)
    return act_on_form(
        request,
        form,
        lambda data: call(who, data),
        success=done,
        then="checkup:person",
        username=who.username,
    )


@login_required
@require_POST
def record_exam(request: PersonRequest, username: str) -> HttpResponse:
    def record(who: Person, data: dict[str, Any]) -> object:
        return services.record_exam(by=request.user, person=who, score=data["score"], sat_on=data["sat_on"])

    return _by_the_commission(request, username, ExamForm(request.POST), record, _("已登记考试成绩"))


@login_required
@require_POST
def issue_opinion(request: PersonRequest, username: str) -> HttpResponse:
    def issue(who: Person, data: dict[str, Any]) -> object:
        return services.issue_opinion(
            by=request.user, person=who, status=data["status"], reasons=data["reasons"]
        )

    return _by_the_commission(request, username, OpinionForm(request.POST), issue, _("已出具廉政意见"))
