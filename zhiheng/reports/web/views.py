"""The commission's pages for reports (R-SUP-3): the list of reports and of cases (with the slices the
工作台 links to), one report opened (each opening a ledger entry), writing to the reporter, opening a case or
joining one, a case's handlers and deadline, the reporter's identity for a case's named handler (with a
reason) and a case's outcome. Reports and cases come through selectors.get_*_for (404 alike for none and for
anyone they concern); buttons from rules; refusals propagate to web.refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org import selectors as org
from zhiheng.web.htmx import act_on_form, refuse_invalid_form

from .. import rules, selectors, services
from ..models import Case, Report
from ..states import CaseStatus, Outcome

PER_PAGE = 25
REPORT_VIEWS = {
    "": _lazy("全部举报"),
    "untriaged": _lazy("待分办"),
    "late": _lazy("超期未分办"),
    "answered": _lazy("举报人新回复"),
}
CASE_VIEWS = {
    "": _lazy("全部案件"),
    "open": _lazy("办理中"),
    "due_soon": _lazy("临近期限"),
    "overdue": _lazy("已逾期"),
    "closed": _lazy("已办结"),
}


class HandlerChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.username}）"


class BodyForm(forms.Form):
    body = forms.CharField(
        label=_lazy("答复或提问"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_lazy("查看理由（记入账本）"), max_length=500)


class HandlersForm(forms.Form):
    handlers = HandlerChoice(
        label=_lazy("承办人"),
        help_text=_lazy("可多选；仅列出本区纪委中与举报无涉的人员"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, eligible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = eligible  # type: ignore[attr-defined]


class CaseForm(HandlersForm):
    deadline = forms.DateField(
        label=_lazy("办理期限（不填则按本区规定天数）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CaseChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _("案件 #%(n)s（期限 %(d)s）") % {"n": obj.pk, "d": obj.deadline or "—"}


class JoinForm(forms.Form):
    case = CaseChoice(label=_lazy("并入办理中的案件"), queryset=Case.objects.none())

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases  # type: ignore[attr-defined]


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_lazy("新的办理期限"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_lazy("变更理由（记入账本）"), max_length=500)


class CloseForm(forms.Form):
    # No outcome preselected: each is chosen on purpose (a case closed as a lead by a careless click is
    # not one the reporter can see reopened).
    outcome = forms.ChoiceField(
        label=_lazy("办理结果"), choices=[("", _lazy("请选择办理结果")), *Outcome.choices]
    )
    reason = forms.CharField(
        label=_lazy("办理理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000
    )


def _district_in_view(request: PersonRequest) -> Any:
    districts = list(org.administered_districts(request.user).order_by("code"))
    chosen = request.GET.get("district", "")
    return next((d for d in districts if d.code == chosen), districts[0] if districts else None), districts


@login_required
def index(request: PersonRequest) -> HttpResponse:
    """Reports or cases (`tab`), sliced by `view` as the 工作台's tiles link, in one district."""
    district, districts = _district_in_view(request)
    tab = "cases" if request.GET.get("tab") == "cases" else "reports"
    views = CASE_VIEWS if tab == "cases" else REPORT_VIEWS
    view = request.GET.get("view", "")
    view = view if view in views else ""
    today = clock.today()
    rows: Any
    if district is None:
        rows, limits = Report.objects.none(), {}
    else:
        limits = selectors.limits_in(district)
        if tab == "cases":
            cases = selectors.list_cases_for(request.user).filter(district=district)
            rows = selectors.filter_cases(cases, view, today, limits).prefetch_related("handlers", "reports")
        else:
            reports = selectors.list_reports_for(request.user).filter(district=district)
            rows = selectors.filter_reports(reports, view, today, limits)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/index.html",
        {
            "page": page,
            "tab": tab,
            "view": view,
            "views": views.items(),
            "district": district,
            "districts": districts,
            "limits": limits,
            "today": today,
            "desk": selectors.desk(request.user, district, today) if district else None,
        },
    )


def _case_forms(user: Person, case: Case) -> dict[str, Any]:
    reports = list(case.reports.select_related("unit", "person"))
    eligible = rules.eligible_handlers(case.district, reports)
    return {
        "handlers_form": HandlersForm(eligible=eligible, initial={"handlers": list(case.handlers.all())}),
        "deadline_form": DeadlineForm(initial={"deadline": case.deadline}),
        "close_form": CloseForm(),
        "can_manage": case.status == CaseStatus.OPEN and rules.can_handle_case(user, case),
    }


@login_required
def detail(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    opened = services.read_report(by=request.user, report=report)
    case = report.case
    actions = rules.actions_for(request.user, report)
    open_cases = selectors.list_cases_for(request.user).filter(
        district=report.district, status=CaseStatus.OPEN
    )
    eligible = rules.eligible_handlers(report.district, [report])
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "opened": opened,
            "case": case,
            "case_reason": services.reason_of(case) if case and case.status == "closed" else "",
            "actions": actions,
            "can_close": case is not None
            and case.status == "open"
            and rules.can_handle_case(request.user, case),
            "body_form": BodyForm(),
            "reason_form": ReasonForm(),
            "case_form": CaseForm(
                eligible=eligible, initial={"handlers": [request.user] if request.user in eligible else []}
            ),
            "join_form": JoinForm(cases=open_cases) if actions["open_case"] and open_cases.exists() else None,
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
    form = CaseForm(request.POST, eligible=rules.eligible_handlers(report.district, [report]))
    return act_on_form(
        request,
        form,
        lambda data: services.open_case(
            by=request.user, reports=[report], handlers=list(data["handlers"]), deadline=data["deadline"]
        ),
        success=_("已立案"),
        then="reports:detail",
        pk=report.pk,
    )


@login_required
@require_POST
def join_case(request: PersonRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, pk)
    cases = selectors.list_cases_for(request.user).filter(district=report.district, status=CaseStatus.OPEN)
    return act_on_form(
        request,
        JoinForm(request.POST, cases=cases),
        lambda data: services.join_case(by=request.user, case=data["case"], reports=[report]),
        success=_("已并入案件"),
        then="reports:detail",
        pk=report.pk,
    )


@login_required
def case(request: PersonRequest, pk: int) -> HttpResponse:
    """One case: its reports (links), handlers, deadline and outcome; for its handlers, the forms."""
    found = selectors.get_case_for(request.user, pk)
    return render(
        request,
        "reports/case.html",
        {
            "case": found,
            "reports": found.reports.select_related("unit").order_by("received_at", "pk"),
            "handlers": found.handlers.order_by("username"),
            "case_reason": services.reason_of(found) if found.status == CaseStatus.CLOSED else "",
            "today": clock.today(),
            **_case_forms(request.user, found),
        },
    )


def _on_case(
    request: PersonRequest,
    pk: int,
    form: type[forms.Form],
    call: Callable[..., object],
    success: str,
    **form_kw: Any,
) -> HttpResponse:
    """A handler's POST on a case: the case as the reader may see it (404 otherwise), the form, the service
    `call(case, data)`, back to the case's page."""
    found = selectors.get_case_for(request.user, pk)
    extra = {name: make(found) for name, make in form_kw.items()}
    return act_on_form(
        request,
        form(request.POST, **extra),
        lambda data: call(found, data),
        success=success,
        then="reports:case",
        pk=pk,
    )


@login_required
@require_POST
def case_handlers(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_case(
        request,
        pk,
        HandlersForm,
        lambda case, data: services.assign_handlers(
            by=request.user, case=case, handlers=list(data["handlers"])
        ),
        _("承办人已更新"),
        eligible=lambda case: rules.eligible_handlers(
            case.district, list(case.reports.select_related("unit", "person"))
        ),
    )


@login_required
@require_POST
def case_deadline(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_case(
        request,
        pk,
        DeadlineForm,
        lambda case, data: services.set_deadline(
            by=request.user, case=case, deadline=data["deadline"], reason=data["reason"]
        ),
        _("办理期限已变更"),
    )


@login_required
@require_POST
def case_close(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_case(
        request,
        pk,
        CloseForm,
        lambda case, data: services.close_case(
            by=request.user, case=case, outcome=data["outcome"], reason=data["reason"]
        ),
        _("案件已办结"),
    )


@login_required
@require_POST
def identity(request: PersonRequest, pk: int) -> HttpResponse:
    """The reporter's identity, shown in this answer only (never in a redirect's flash or a session)."""
    report = selectors.get_report_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    revealed = services.reveal_identity(by=request.user, report=report, reason=form.cleaned_data["reason"])
    return render(request, "reports/identity.html", {"report": report, "identity": revealed})
