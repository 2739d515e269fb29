"""The check-up's pages (R-GATE-1/2/4): the commission's verification queue (highest risk first), a
candidate's page — the three gates, what is still missing for an appointment (R-MTG-5), the declarations and
exam sittings, and the commission's forms — and one declaration opened (its read recorded in the ledger).

People are found through selectors.get_person_for (404 alike for nobody and for someone else's check-up);
every button comes from rules.actions_for; refusals propagate to web.refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.web import labels
from zhiheng.web.exports import XLSX
from zhiheng.web.htmx import act_on_form

from .. import bank_excel, rules, selectors, services
from ..checks import CHECKS, ITEMS, readable
from ..errors import BadBankFile
from ..models import Declaration
from .forms import ExamForm, OpinionForm, PaperForm

PER_PAGE = 25


def _row(declaration: Declaration) -> dict[str, Any]:
    return {"declaration": declaration, "checks": [CHECKS.get(c, c) for c in declaration.check_codes]}


@login_required
def index(request: PersonRequest) -> HttpResponse:
    """The commission's queue; everyone else sees the way to their own check-up."""
    districts = list(org.administered_districts(request.user).order_by("code"))
    commission = bool(districts)
    page = None
    if commission:
        page = Paginator(selectors.verification_queue(request.user), PER_PAGE).get_page(
            request.GET.get("page")
        )
    rows = [_row(d) for d in page] if page is not None else []
    return render(
        request,
        "checkup/index.html",
        {
            "commission": commission,
            "districts": districts,
            "page": page,
            "rows": rows,
            "marking": list(selectors.awaiting_marking(request.user)[:50]) if commission else [],
        },
    )


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
        # R-GATE-3/4: the opinion is issued from the archive; what it gathers, counted without opening it
        "archive_outline": selectors.archive_outline(who, request.user),
        "declarations": [_row(d) for d in selectors.declarations_of(who)[:20]],
        "sittings": selectors.sittings_of(who),
        "actions": rules.actions_for(request.user, who, selectors.sittings_of(who)),
        "exam_form": ExamForm(),
        "opinion_form": OpinionForm(),
        "paper_form": PaperForm(),
        # R-GATE-1: the commission draws papers and sees them; before the sitting nobody else does
        "may_draw_paper": rules.can_judge(request.user, who),
        "papers": selectors.papers_of(who) if rules.can_judge(request.user, who) else [],
        # R-GATE-1 online: the candidate starts the paper drawn for them; everyone who sees the page sees
        # where each sitting stands, the commission marks
        "online": [(s, selectors.status_of(s)) for s in selectors.online_of(who)],
        "paper_to_sit": selectors.paper_to_sit(who) if rules.can_sit(request.user, who) else None,
        "exam_minutes": selectors.rules_for(who)["exam_minutes"],
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


# ------------------------------------------------------------------------ the exam bank and papers (R-GATE-1)


@login_required
@require_POST
def draw_paper(request: PersonRequest, username: str) -> HttpResponse:
    who = selectors.get_person_for(request.user, username)
    form = PaperForm(request.POST)
    if not form.is_valid():
        raise Invalid("validation", _("组卷规则有误"), {"fields": form.errors.get_json_data()})
    drawn = services.draw_paper(by=request.user, person=who, blueprint=form.cleaned_data["blueprint"])
    messages.success(request, _("已生成试卷，组卷种子已记入账本"))
    return redirect("checkup:paper", who.username, drawn.pk)


@login_required
def paper(request: PersonRequest, username: str, pk: int) -> HttpResponse:
    """The paper as printed for a sitting on paper: the questions in the paper's order, no answers."""
    who = selectors.get_person_for(request.user, username)
    found = selectors.get_paper_for(request.user, who, pk)
    return render(
        request,
        "checkup/paper.html",
        {
            "who": who,
            "paper": found,
            "questions": selectors.paper_questions(found),
            "reproduces": services.reproduces(found),
            "letters": bank_excel.LETTERS,
        },
    )


def _bank_page(request: PersonRequest, code: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
    district = selectors.get_bank_district_for(request.user, code)
    page = Paginator(selectors.questions_of(district), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "checkup/bank.html",
        {"district": district, "page": page, "errors": errors or [], "headers": bank_excel.HEADERS},
        status=422 if errors else 200,
    )


@login_required
def bank(request: PersonRequest, code: str) -> HttpResponse:
    return _bank_page(request, code)


@login_required
@require_POST
def import_bank(request: PersonRequest, code: str) -> HttpResponse:
    district = selectors.get_bank_district_for(request.user, code)
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("validation", _("请选择要导入的 Excel 文件"))
    try:
        created = services.import_questions(
            by=request.user, district=district, data=upload.read(bank_excel.MAX_BYTES + 1)
        )
    except BadBankFile as err:
        # Row errors are shown on the bank page itself, next to the upload form (like form errors).
        messages.error(request, err.message)
        return _bank_page(request, code, errors=err.detail["rows"])
    messages.success(request, _("已导入 %(n)d 道题目") % {"n": len(created)})
    return redirect("checkup:bank", district.code)


@login_required
def export_bank(request: PersonRequest, code: str) -> HttpResponse:
    district = selectors.get_bank_district_for(request.user, code)
    response = HttpResponse(bank_excel.write(list(selectors.questions_of(district))), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="exam-bank-{district.code}.xlsx"'
    return response
