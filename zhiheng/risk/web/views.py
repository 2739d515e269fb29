"""The warnings page: the unit inspector and the commission admin see warnings and resolve them.

A refusal propagates: web.refusals.RefusalMiddleware renders it (and NotFound as the 404 page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.web import labels

from .. import rules, selectors, services
from ..models import WarningStatus


@login_required
def index(request: PersonRequest) -> HttpResponse:
    rule = request.GET.get("rule", "")
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "")  # the 工作台's counts link here filtered by unit and level
    level = request.GET.get("level", "")
    qs = selectors.list_warnings_for(
        request.user, rule=rule or None, status=status or None, unit=unit or None, level=level or None
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    warnings = list(page.object_list)
    # The subjects' names for the whole page at once (one query per kind), not one lookup per row.
    texts = labels.subjects(w.subject for w in warnings)
    return render(
        request,
        "risk/index.html",
        {
            "page": page,
            "rows": [(w, texts.get(w.subject, "")) for w in warnings],
            "resolvable": rules.resolvable(request.user, warnings),
            "rule": rule,
            "status": status,
            "unit": unit,
            "level": level,
            "statuses": WarningStatus.choices,
            "rules": labels.choices("risk.rule"),
        },
    )


@login_required
@require_POST
def resolve(request: PersonRequest, pk: int) -> HttpResponse:
    warning = selectors.get_warning_for(request.user, pk)
    services.resolve_warning(
        warning=warning,
        by=request.user,
        status=request.POST.get("status", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("预警已处理"))
    return redirect("risk:index")
