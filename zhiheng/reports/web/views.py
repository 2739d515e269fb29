"""The commission's pages for reports (R-SUP-3): the list, one report opened (each opening a ledger entry),
writing to the reporter, opening a case, the reporter's identity for a case's named handler (with a reason)
and a case's outcome. Reports come through selectors.get_report_for (404 alike for none and for anyone the
report concerns); buttons from rules.actions_for; refusals propagate to web.refusals."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.web.htmx import act_on_form

from .. import rules, selectors, services
from ..states import Outcome

PER_PAGE = 25


class BodyForm(forms.Form):
    body = forms.CharField(
        label=_lazy("答复或提问"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_lazy("查看理由（记入账本）"), max_length=500)


class CaseForm(forms.Form):
    deadline = forms.DateField(
        label=_lazy("办理期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_lazy("办理结果"), choices=Outcome.choices)
    reason = forms.CharField(
        label=_lazy("办理理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000
    )


@login_required
def index(request: PersonRequest) -> HttpResponse:
    page = Paginator(selectors.list_reports_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/index.html", {"page": page})


@login_required
def detail(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    opened = services.read_report(by=request.user, report=report)
    case = report.case
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "opened": opened,
            "case": case,
            "case_reason": services.reason_of(case) if case and case.status == "closed" else "",
            "actions": rules.actions_for(request.user, report),
            "can_close": case is not None
            and case.status == "open"
            and rules.can_handle_case(request.user, case),
            "body_form": BodyForm(),
            "reason_form": ReasonForm(),
            "case_form": CaseForm(),
            "close_form": CloseForm(),
        },
    )


@login_required
@require_POST
def reply(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    return act_on_form(
        request,
        BodyForm(request.POST),
        lambda data: services.write_as_handler(by=request.user, report=report, body=data["body"]),
        success=_("已发送给举报人"),
        then="reports:detail",
        pk=report.pk,
    )


@login_required
@require_POST
def open_case(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    return act_on_form(
        request,
        CaseForm(request.POST),
        lambda data: services.open_case(
            by=request.user, reports=[report], handlers=[request.user], deadline=data["deadline"]
        ),
        success=_("已立案，您为承办人"),
        then="reports:detail",
        pk=report.pk,
    )


@login_required
@require_POST
def close_case(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    case = selectors.get_case_for(request.user, report.case_id or 0)
    return act_on_form(
        request,
        CloseForm(request.POST),
        lambda data: services.close_case(
            by=request.user, case=case, outcome=data["outcome"], reason=data["reason"]
        ),
        success=_("案件已办结"),
        then="reports:detail",
        pk=report.pk,
    )


@login_required
@require_POST
def identity(request: PersonRequest, pk: int) -> HttpResponse:
    """The reporter's identity, shown in this answer only (never in a redirect's flash or a session)."""
    report = selectors.get_report_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        from zhiheng.web.htmx import refuse_invalid_form

        return refuse_invalid_form(request, form)
    revealed = services.reveal_identity(by=request.user, report=report, reason=form.cleaned_data["reason"])
    return render(request, "reports/identity.html", {"report": report, "identity": revealed})
