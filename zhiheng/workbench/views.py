"""Home: "my units" for everyone; the districts a commission admin supervises."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from zhiheng.accounts.http import PersonRequest
from zhiheng.org import selectors as org_selectors


@login_required
def home(request: PersonRequest) -> HttpResponse:
    person = request.user
    memberships = org_selectors.current_memberships_of(person).select_related("unit", "unit__district")
    districts = org_selectors.administered_districts(person)
    return render(
        request,
        "workbench/home.html",
        {
            "memberships": memberships,
            "districts": districts,
            "units": org_selectors.list_units_for(person),
        },
    )
