"""Pages of the matters app: submit, my inbox, the unit's matters (the principal's supervision view and
the inspector's), a matter with its history, and budget lines. Buttons come from rules.actions_for,
the same predicates the services enforce; every action goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.core import clock
from zhiheng.core.errors import DomainError, Invalid, NotFound
from zhiheng.org import selectors as org
from zhiheng.powers.selectors import list_powers

from .. import downloads, evidence, rules, selectors, services
from ..models import BudgetLine, MatterKind
from ..states import MatterState
from ..viewer import Viewer


def _unit_for(person, code: str):
    try:
        return org.get_unit_for(person, code)
    except NotFound as exc:
        raise Http404 from exc


def _matter_for(person, pk: int):
    try:
        return selectors.get_matter_for(person, pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def inbox(request):
    now = clock.now()
    rows = [
        {"matter": m, "waiting": (now - m.submitted_at).days} for m in selectors.inbox_of(request.user)[:200]
    ]
    return render(request, "matters/inbox.html", {"rows": rows})


@login_required
def unit_matters(request, code: str):
    unit = _unit_for(request.user, code)
    state = request.GET.get("state", "")
    qs = selectors.list_matters_for(request.user, unit=unit.code, state=state or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    viewer = Viewer(request.user)  # one set of role/restriction reads for the whole page
    rows = [{"matter": m, "actions": rules.actions_for(viewer, m)} for m in page]
    return render(
        request,
        "matters/unit_matters.html",
        {
            "unit": unit,
            "page": page,
            "rows": rows,
            "state": state,
            "states": MatterState.choices,
            "rules_table": selectors.rules_table(unit=unit),
        },
    )


@login_required
def submit(request, code: str):
    unit = _unit_for(request.user, code)
    powers = list(list_powers(unit))
    lines = list(BudgetLine.objects.filter(unit=unit).order_by("code"))
    error = None
    if request.method == "POST":
        data = request.POST
        try:
            power = next((p for p in powers if p.code == data.get("power")), None)
            if power is None:
                raise Invalid("validation", _("请选择职权"), {"power": "required"})
            line = next((b for b in lines if b.code == data.get("budget_line")), None)
            matter = services.submit(
                by=request.user,
                unit=unit,
                power=power,
                title=data.get("title", ""),
                kind=data.get("kind", ""),
                amount=data.get("amount") or None,
                counterparty=data.get("counterparty", ""),
                budget_line=line,
                major=bool(data.get("major")),
                description=data.get("description", ""),
            )
            for upload in request.FILES.getlist("evidence"):
                evidence.add_evidence(matter=matter, by=request.user, upload=upload)
            messages.success(request, _("事项已提交"))
            return redirect("matters:detail", matter.pk)
        except DomainError as exc:
            error = exc
    return render(
        request,
        "matters/submit.html",
        {
            "unit": unit,
            "powers": powers,
            "lines": lines,
            "kinds": MatterKind.choices,
            "error": error,
            "form": request.POST,
        },
        status=error.status if error else 200,
    )


@login_required
def detail(request, pk: int):
    matter = _matter_for(request.user, pk)
    return render(
        request,
        "matters/detail.html",
        {
            "matter": matter,
            "actions": rules.actions_for(request.user, matter),
            "history": selectors.history(matter),
            "cosigns": matter.cosigns.all(),
            "opinions": matter.joint_opinions.select_related("member"),
            "evidence": matter.evidence.all(),
        },
    )


@login_required
def evidence_file(request, pk: int, evidence_id: int):
    """An evidence file, to whoever may see the matter: as an attachment, never from MEDIA_URL."""
    try:
        item = evidence.get_evidence_for(request.user, pk, evidence_id)
    except NotFound as exc:
        raise Http404 from exc
    return downloads.file_response(item)


ACTIONS = {
    "approve": lambda m, by, p: services.approve(matter=m, by=by, comment=p.get("comment", "")),
    "reject": lambda m, by, p: services.reject(matter=m, by=by, comment=p.get("comment", "")),
    "veto": lambda m, by, p: services.veto(matter=m, by=by, reason=p.get("reason", "")),
    "cosign": lambda m, by, p: services.cosign(matter=m, by=by, comment=p.get("comment", "")),
    "execute": lambda m, by, p: services.execute(matter=m, by=by, note=p.get("note", "")),
    "withdraw": lambda m, by, p: services.withdraw(matter=m, by=by, note=p.get("note", "")),
    "refer": lambda m, by, p: services.refer_to_collective(matter=m, by=by, reason=p.get("reason", "")),
    "joint_review": lambda m, by, p: services.joint_review(
        matter=m, by=by, opinion=p.get("opinion", ""), reason=p.get("reason", "")
    ),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    matter = _matter_for(request.user, pk)
    if action not in ACTIONS and action != "evidence":
        raise Http404
    try:
        if action == "evidence":
            for upload in request.FILES.getlist("evidence"):
                evidence.add_evidence(matter=matter, by=request.user, upload=upload)
        else:
            ACTIONS[action](matter, request.user, request.POST)
    except DomainError as exc:
        return render_refusal_page(request, exc)
    messages.success(request, _("操作已完成"))
    return redirect("matters:detail", matter.pk)


def render_refusal_page(request, exc: DomainError):
    from zhiheng.web.htmx import render_refusal

    return render_refusal(request, exc)


@login_required
def budget_lines(request, code: str):
    unit = _unit_for(request.user, code)
    return render(
        request, "matters/budget_lines.html", {"unit": unit, "lines": selectors.list_budget_lines(unit)}
    )
