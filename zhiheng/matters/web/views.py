"""Pages of the matters app: submit, my inbox, the unit's matters (the principal's supervision view and
the inspector's), a matter with its history, and budget lines. Buttons come from rules.actions_for,
the same predicates the services enforce; every action goes through the services, and a refusal
propagates to the refusal page (zhiheng.web.refusals)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid, NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power
from zhiheng.powers.selectors import list_powers

from .. import rules, selectors, services
from ..models import BudgetLine, Matter, MatterKind
from ..states import MatterState
from ..viewer import Viewer
from . import downloads
from .rules_views import with_power_names


@login_required
def inbox(request: PersonRequest) -> HttpResponse:
    now = clock.now()
    rows = [
        {"matter": m, "waiting": selectors.waiting(m, now)} for m in selectors.inbox_of(request.user)[:200]
    ]
    return render(request, "matters/inbox.html", {"rows": rows})


def list_filters(request: PersonRequest) -> dict[str, Any]:
    """The unit's matters list's filters from its query string, for `selectors.list_matters_for` (the
    page and its export): ?state=, ?deputy=<username>, ?awaiting=collective, ?vetoed_by=me, ?mine=1
    (submitted by me) and ?open=1 (still in progress) — the 工作台's counts link here with them."""
    get = request.GET
    mine = get.get("mine") == "1"
    return {
        "state": get.get("state") or None,
        "deputy": get.get("deputy") or None,
        "awaiting": get.get("awaiting") or None,
        "vetoed_by_person": request.user if get.get("vetoed_by") == "me" else None,
        "submitted_by_person": request.user if mine else None,
        "open_only": mine and get.get("open") == "1",
    }


@login_required
def unit_matters(request: PersonRequest, code: str) -> HttpResponse:
    unit = org.get_unit_for(request.user, code)
    state = request.GET.get("state", "")
    deputy = request.GET.get("deputy", "")  # the 工作台's "matters by deputy" link here
    viewer = Viewer(request.user)  # one read of visibility and roles for the whole page
    qs = selectors.list_matters_for(viewer.visibility(), unit=unit, **list_filters(request))
    # The other filters, kept by the state form and the pager, and named above the list.
    kept = {k: request.GET[k] for k in ("awaiting", "vetoed_by", "mine", "open") if request.GET.get(k)}
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = matters = selectors.with_relations(page.object_list)
    rows = [{"matter": m, "actions": rules.actions_for(viewer, m)} for m in matters]
    return render(
        request,
        "matters/unit_matters.html",
        {
            "unit": unit,
            "page": page,
            "rows": rows,
            "state": state,
            "deputy": deputy,
            "kept": kept,
            "kept_query": urlencode(kept),
            "states": MatterState.choices,
            "rules_table": with_power_names(
                selectors.rules_table(unit=unit), district=unit.district, unit=unit
            ),
        },
    )


@login_required
def submit(request: PersonRequest, code: str) -> HttpResponse:
    unit = org.get_unit_for(request.user, code)
    powers = list(list_powers(unit))
    lines = list(BudgetLine.objects.filter(unit=unit).order_by("code"))
    error: Invalid | None = None
    if request.method == "POST":
        data = request.POST
        power = next((p for p in powers if p.code == data.get("power")), None)
        line = next((b for b in lines if b.code == data.get("budget_line")), None)
        try:
            if power is None:
                raise Invalid("validation", _("请选择职权"), {"fields": {"power": [_("请选择职权")]}})
            matter = submit_matter(request, unit, power, line)
        except Invalid as invalid:
            # Bad input is shown in the form itself, with everything typed kept (like form errors);
            # every other refusal propagates to the refusal page.
            error = invalid
        else:
            messages.success(request, _("事项已提交"))
            return redirect("matters:detail", matter.pk)
    return render(
        request,
        "matters/submit.html",
        {
            "unit": unit,
            "powers": powers,
            "lines": lines,
            "kinds": MatterKind.choices,
            "form": request.POST,
            "error": error,
        },
        status=422 if error else 200,
    )


def submit_matter(request: PersonRequest, unit: Unit, power: Power, line: BudgetLine | None) -> Matter:
    data = request.POST
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
        services.add_evidence(matter=matter, by=request.user, upload=upload)
    return matter


@login_required
def detail(request: PersonRequest, pk: int) -> HttpResponse:
    viewer = Viewer(request.user)
    matter = selectors.get_matter_for(viewer.visibility(), pk)
    return render(
        request,
        "matters/detail.html",
        {
            "matter": matter,
            "actions": rules.actions_for(viewer, matter),
            # RF3: the deputy in charge is told why they may not approve (their own declaration, only them)
            "declared_ties": viewer.declared_ties(matter)
            if matter.deputy_id == viewer.pk and matter.state == MatterState.SUBMITTED
            else [],
            "history": selectors.history(matter),
            "cosigns": selectors.cosigns_of(matter),
            "opinions": matter.joint_opinions.select_related("member"),
            "evidence": matter.evidence.all(),
        },
    )


@login_required
def evidence_file(request: PersonRequest, pk: int, evidence_id: int) -> HttpResponse | FileResponse:
    """An evidence file, to whoever may see the matter: as an attachment, never from MEDIA_URL."""
    return downloads.file_response(selectors.get_evidence_for(request.user, pk, evidence_id))


ACTIONS: dict[str, Callable[[Matter, Person, QueryDict], Matter]] = {
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
def act(request: PersonRequest, pk: int, action: str) -> HttpResponse:
    matter = selectors.get_matter_for(request.user, pk)
    if action == "evidence":
        for upload in request.FILES.getlist("evidence"):
            services.add_evidence(matter=matter, by=request.user, upload=upload)
    elif action in ACTIONS:
        ACTIONS[action](matter, request.user, request.POST)
    else:
        raise NotFound()
    messages.success(request, _("操作已完成"))
    return redirect("matters:detail", matter.pk)


@login_required
def budget_lines(request: PersonRequest, code: str) -> HttpResponse:
    unit = org.get_unit_for(request.user, code)
    return render(
        request, "matters/budget_lines.html", {"unit": unit, "lines": selectors.list_budget_lines(unit)}
    )
