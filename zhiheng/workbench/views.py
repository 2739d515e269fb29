"""Home: the 工作台 — one section per role the person holds today (issue 13), each answering "what needs
me, and what should worry me"; the terms of office below them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from zhiheng.accounts.http import PersonRequest
from zhiheng.org import selectors as org_selectors
from zhiheng.supervision.tasks import daily_in_embedded_mode

from . import sections


@login_required
def home(request: PersonRequest) -> HttpResponse:
    daily_in_embedded_mode()  # without a broker, the monthly reports' daily job runs here, once a day
    roles, parts = sections.build(request.user)
    return render(
        request,
        "workbench/home.html",
        {
            "memberships": roles.terms,
            "sections": parts,
            "charts": [chart for part in parts for chart in part.charts],
            # Nobody's 工作台 is blank: without a role today, the units the person may still see.
            "units": [] if parts else org_selectors.list_units_for(request.user),
        },
    )
