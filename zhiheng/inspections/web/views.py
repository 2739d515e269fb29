"""The check pages (R-SUP-2): the list of checks (and the form that opens one), a check's page — unit,
group, grant, the sample with links into the unit's records, its replay, the read log, the findings and
their rectification — and the list of rectification items behind the 工作台's counts.

Checks are read through selectors.get_inspection_for (404 alike for unknown and invisible); every button
comes from rules.actions_for / rules.finding_actions; refusals propagate to web.refusals, except a
service's 422 on a form's input, which is put back on the form with everything typed kept."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.forms import Form
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.selectors import find_person
from zhiheng.core import clock
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, Role, Unit
from zhiheng.web import labels
from zhiheng.web.forms import submitted

from .. import parameters, rules, selectors, services
from ..models import Finding, Inspection, Read
from ..states import FindingState
from .forms import AcceptForm, AnswerForm, CloseForm, FindingForm, OpenForm, ReturnForm

PER_PAGE = 25
RECORD_URLS = {"matter": "matters:detail", "meeting": "meetings:room"}


# ---------------------------------------------------------------------------------------------- helpers


def _kept(query: QueryDict) -> str:
    """The list's filters, for its pager's links."""
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


def _records(refs: list[dict[str, Any]], linked: bool = True) -> list[dict[str, Any]]:
    """Sample or evidence rows ({"kind", "id", "reasons"?}) with their labels (zhiheng.web.labels) and,
    when `linked`, the page each opens (the read is logged there when the reader's way in is the check)."""
    names = labels.subjects(f"{r['kind']}:{r['id']}" for r in refs)
    rows = []
    for r in refs:
        ref = f"{r['kind']}:{r['id']}"
        route = RECORD_URLS.get(r["kind"]) if linked else None
        rows.append({**r, "ref": ref, "name": names.get(ref, ref), "route": route})
    return rows


# What a read names when no app registers its kind as a subject (zhiheng.web.labels): "evidence:5" reads as
# "证据材料 #5", never as the code.
READ_KINDS = {
    "matter": _lazy("事项"),
    "meeting": _lazy("会议"),
    "minutes": _lazy("会议记录"),
    "evidence": _lazy("证据材料"),
    "monthly_report": _lazy("月度财务明细"),
}


def _read_names(reads: list[Read]) -> dict[str, str]:
    names = labels.subjects(r.what for r in reads)
    for r in reads:
        if names.get(r.what, r.what) == r.what and r.kind in READ_KINDS:
            names[r.what] = f"{READ_KINDS[r.kind]} #{r.ref}"
    return names


def _team_choices(inspection: Inspection) -> list[tuple[str, str]]:
    """The unit's leadership team today, principal first (the default owner: 整改第一责任人)."""
    team = org.memberships_on(inspection.unit).filter(role__in=TEAM_ROLES)
    order = {Role.PRINCIPAL: 0, Role.DEPUTY: 1, Role.INSPECTOR: 2}
    rows = sorted(team, key=lambda m: (order.get(Role(m.role), 9), m.person.username))
    return [(m.person.username, f"{m.person.name}（{labels.label('org.role', m.role)}）") for m in rows]


def _remaining_days(inspection: Inspection) -> int:
    seconds = (inspection.expires_at - clock.now()).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def _finding_form(inspection: Inspection, data: QueryDict | None = None) -> FindingForm:
    team = _team_choices(inspection)
    evidence = [(row["ref"], row["name"]) for row in _records(inspection.sample)]
    return FindingForm(data, team=team, evidence=evidence, initial={"owner": team[0][0] if team else ""})


# -------------------------------------------------------------------------------------- the list


def _ordered(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Open checks first (grant holding), then those expired but not closed, then the closed; latest
    first within each."""
    now = clock.now()
    standing = Case(
        When(closed_at__isnull=True, expires_at__gt=now, then=Value(0)),
        When(closed_at__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(standing=standing, finding_count=Count("findings")).order_by(
        "standing", "-opened_at", "-pk"
    )


def filter_checks(qs: QuerySet[Inspection], query: QueryDict) -> QuerySet[Inspection]:
    """The list's filters (the 工作台 tile "进行中的检查" links to ?state=open&district=…)."""
    now = clock.now()
    if query.get("state") == "open":
        qs = qs.filter(closed_at__isnull=True, expires_at__gt=now)
    elif query.get("state") == "closed":
        qs = qs.filter(closed_at__isnull=False)
    if query.get("district"):
        qs = qs.filter(unit__district__code=query["district"])
    if query.get("unit"):
        qs = qs.filter(unit__code=query["unit"])
    return qs


@login_required
def checks(request: PersonRequest) -> HttpResponse:
    """GET: the checks the person sees; POST: an inspection group member opens a check on a unit."""
    units = list(selectors.units_to_inspect(request.user))
    default_days = parameters.in_force(units[0])["grant_days"] if units else None
    choices = [(u.code, f"{u.name}（{u.district.name}）") for u in units]
    form = OpenForm(request.POST or None, units=choices, days=default_days)
    opened: list[Inspection] = []

    def open_check(data: dict[str, Any]) -> None:
        unit = next(u for u in units if u.code == data["unit"])  # the form's choices are these units
        opened.append(services.open_inspection(by=request.user, unit=unit, days=data.get("days")))

    if request.method == "POST":
        # As the API: whoever names a unit they may not inspect is refused by the rule (403 R-SUP-2), not
        # told that their choice is not on a list they were never shown.
        named = Unit.objects.filter(code=request.POST.get("unit", "")).first()
        if named is not None and named not in units:
            rules.ensure_open(request.user, named)
    if request.method == "POST" and submitted(form, open_check):
        messages.success(request, _("突击检查已开展，抽样及其种子已记入账本"))
        return redirect("inspections:detail", opened[0].pk)
    qs = _ordered(filter_checks(selectors.list_inspections_for(request.user), request.GET))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/list.html",
        {
            "page": page,
            "rows": [_check_row(request, i) for i in page.object_list],
            "form": form if units else None,
            "state": request.GET.get("state", ""),
            "kept": _kept(request.GET),
            "inspects": bool(units),
        },
        status=422 if form.errors else 200,
    )


def _check_row(request: PersonRequest, inspection: Inspection) -> dict[str, Any]:
    return {
        "check": inspection,
        "open": inspection.is_open(),
        "remaining": _remaining_days(inspection),
        "findings": getattr(inspection, "finding_count", 0),  # annotated by _ordered (one query a page)
    }


# ----------------------------------------------------------------------------------- one check


def _detail_context(
    request: PersonRequest, inspection: Inspection, bound: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """The check's page; `bound` holds a posted form refused on its input (shown with its errors): the
    key "finding", "close", or ("answer"|"accept"|"return", finding id)."""
    bound = bound or {}
    actions = rules.actions_for(request.user, inspection)
    # The group reads the records only while the grant holds; the commission and the unit by their own right.
    linked = inspection.is_open() or not rules.in_group(request.user, inspection)
    findings = list(selectors.findings_of(inspection))
    rows = []
    for f in findings:
        f.inspection = inspection
        acts = rules.finding_actions(request.user, f)
        rows.append(
            {
                "finding": f,
                "actions": acts,
                "overdue": rules.is_overdue(f),
                "evidence": _records(f.evidence, linked),
                "answer_form": bound.get(("answer", f.pk)) or AnswerForm(initial={"response": f.response}),
                "accept_form": bound.get(("accept", f.pk)) or AcceptForm(),
                "return_form": bound.get(("return", f.pk)) or ReturnForm(),
            }
        )
    context: dict[str, Any] = {
        "check": inspection,
        "actions": actions,
        "open": inspection.is_open(),
        "remaining": _remaining_days(inspection),
        "rows": rows,
        "finding_form": bound.get("finding")
        or (_finding_form(inspection) if actions["record_finding"] else None),
        "close_form": bound.get("close") or CloseForm(),
        "admin": org.administered_districts(request.user).filter(pk=inspection.unit.district_id).exists(),
    }
    if actions["read_log"]:
        reads = list(selectors.reads_of(inspection))
        names = _read_names(reads)
        context["sample"] = _records(inspection.sample, linked)
        context["replay"] = selectors.sample_replay(inspection)
        context["reads"] = [{"read": r, "what": names.get(r.what, r.what)} for r in reads]
    return context


@login_required
def detail(request: PersonRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, pk)
    return render(request, "inspections/detail.html", _detail_context(request, inspection))


def _refused(request: PersonRequest, inspection: Inspection, key: Any, form: Form) -> HttpResponse:
    """The check's page again with the refused form and its errors (422), everything typed kept."""
    context = _detail_context(request, inspection, {key: form})
    return render(request, "inspections/detail.html", context, status=422)


@login_required
@require_POST
def close(request: PersonRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, pk)
    form = CloseForm(request.POST)
    if not submitted(
        form,
        lambda d: services.close_inspection(
            by=request.user, inspection=inspection, conclusion=d["conclusion"]
        ),
    ):
        return _refused(request, inspection, "close", form)
    messages.success(request, _("检查已结束，调阅授权随即终止"))
    return redirect("inspections:detail", pk)


@login_required
@require_POST
def record(request: PersonRequest, pk: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, pk)
    rules.ensure_record(request.user, inspection)  # who may not record is refused, not shown a form
    form = _finding_form(inspection, request.POST)

    def record_finding(d: dict[str, Any]) -> None:
        services.record_finding(
            by=request.user,
            inspection=inspection,
            title=d["title"],
            severity=d["severity"],
            deadline=d["deadline"],
            description=d["description"],
            rule=d["rule"],
            evidence=form.evidence_rows(),
            owner=find_person(d["owner"]),
        )

    if not submitted(form, record_finding):
        return _refused(request, inspection, "finding", form)
    messages.success(request, _("检查发现已记录，转为整改事项"))
    return redirect("inspections:detail", pk)


def _on_finding(
    request: PersonRequest,
    pk: int,
    finding_id: int,
    action: str,
    form_class: type[Form],
    call: Callable[[Finding, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A rectification step (answer, accept, return) posted from the check's page."""
    finding = selectors.get_finding_for(request.user, pk, finding_id)
    form = form_class(request.POST)
    if not submitted(form, lambda d: call(finding, d)):
        return _refused(request, finding.inspection, (action, finding.pk), form)
    messages.success(request, success)
    return redirect(reverse("inspections:detail", args=[pk]) + f"#finding-{finding.pk}")


@login_required
@require_POST
def answer(request: PersonRequest, pk: int, finding_id: int) -> HttpResponse:
    return _on_finding(
        request,
        pk,
        finding_id,
        "answer",
        AnswerForm,
        lambda f, d: services.answer_rectification(by=request.user, finding=f, response=d["response"]),
        _("整改情况已答复，等待督察组验收"),
    )


@login_required
@require_POST
def accept(request: PersonRequest, pk: int, finding_id: int) -> HttpResponse:
    return _on_finding(
        request,
        pk,
        finding_id,
        "accept",
        AcceptForm,
        lambda f, d: services.accept_rectification(by=request.user, finding=f, note=d["note"]),
        _("整改已验收销号"),
    )


@login_required
@require_POST
def return_(request: PersonRequest, pk: int, finding_id: int) -> HttpResponse:
    return _on_finding(
        request,
        pk,
        finding_id,
        "return",
        ReturnForm,
        lambda f, d: services.return_rectification(by=request.user, finding=f, reason=d["reason"]),
        _("整改事项已退回单位"),
    )


# ------------------------------------------------------------------------- rectification items


def filter_findings(person: Any, query: QueryDict) -> QuerySet[Finding]:
    """The list behind the 工作台's counts: ?to=answer (selectors.awaiting_answer_by), ?to=accept
    (selectors.awaiting_acceptance_by), ?status=overdue (selectors.overdue) or a state; ?district, ?unit."""
    to = query.get("to")
    if to == "answer":
        qs = selectors.awaiting_answer_by(person)
    elif to == "accept":
        qs = selectors.awaiting_acceptance_by(person)
    else:
        qs = selectors.list_findings_for(person)
    status = query.get("status")
    if status == "overdue":
        qs = qs.filter(pk__in=selectors.overdue().values("pk"))
    elif status in FindingState.values:
        qs = qs.filter(state=status)
    if query.get("district"):
        qs = qs.filter(inspection__unit__district__code=query["district"])
    if query.get("unit"):
        qs = qs.filter(inspection__unit__code=query["unit"])
    return qs


@login_required
def findings(request: PersonRequest) -> HttpResponse:
    qs = filter_findings(request.user, request.GET)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/findings.html",
        {
            "page": page,
            "rows": [{"finding": f, "overdue": rules.is_overdue(f)} for f in page.object_list],
            "status": request.GET.get("status", ""),
            "to": request.GET.get("to", ""),
            "kept": _kept(request.GET),
            "statuses": [*FindingState.choices, ("overdue", _("已逾期"))],
        },
    )
