"""Pages for the district: meeting rules set by the commission admins (R-MTG-2/3) and the inspection
group's unannounced observation of open meetings (R-SUP-2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng import parameters
from zhiheng.accounts.http import PersonRequest
from zhiheng.meetings import selectors, services
from zhiheng.meetings.parameters import NAMESPACE, in_force
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.parameters.selectors import get_district_for
from zhiheng.web.htmx import act, act_on_form

from .forms import RulesForm


@login_required
def district_rules(request: PersonRequest, code: str) -> HttpResponse:
    """The district's default meeting rules, the rules in force in each of its units, and the versions."""
    district = get_district_for(request.user, code)
    rules = parameters.effective(NAMESPACE, district=district)
    form = RulesForm(initial=RulesForm.initial_from(rules.values))
    if request.method == "POST":
        form = RulesForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda _data: parameters.set_values(
                NAMESPACE, by=request.user, district=district, values=form.changes()
            ),
            success=_("本区议事规则默认值已设定并记入账本"),
            then="meetings:district_rules",
            code=district.code,
        )
    units = Unit.objects.filter(district=district).order_by("code")
    return render(
        request,
        "meetings/rules.html",
        {
            "district": district,
            "form": form,
            "values": rules.values,
            "source": rules.source,
            "units": [(u, *in_force(u)) for u in units],
            "can_set": parameters.can_set(request.user, district),
            "history": parameters.history(NAMESPACE, district=district),
        },
    )


@login_required
def unit_rules(request: PersonRequest, code: str) -> HttpResponse:
    """A unit's meeting rules in force, their source and versions; the commission admins set or clear the
    unit's override."""
    unit = org.get_unit_for(request.user, code)
    values, source = in_force(unit)
    form = RulesForm(initial=RulesForm.initial_from(values))
    if request.method == "POST" and request.POST.get("reset"):
        return act(
            request,
            lambda: parameters.clear(NAMESPACE, by=request.user, unit=unit),
            success=_("已恢复本区默认议事规则"),
            then="meetings:unit_rules",
            code=unit.code,
        )
    if request.method == "POST":
        form = RulesForm(request.POST)
        return act_on_form(
            request,
            form,
            lambda _data: parameters.set_values(NAMESPACE, by=request.user, unit=unit, values=form.changes()),
            success=_("本单位议事规则已设定并记入账本"),
            then="meetings:unit_rules",
            code=unit.code,
        )
    return render(
        request,
        "meetings/unit_rules.html",
        {
            "unit": unit,
            "values": values,
            "source": source,
            "form": form,
            "can_set": parameters.can_set(request.user, unit.district),
            "history": parameters.history(NAMESPACE, unit),
        },
    )


@login_required
def inspection_list(request: PersonRequest) -> HttpResponse:
    """The inspection group's list of open meetings in its districts, each with the observe button."""
    return render(
        request,
        "meetings/inspection.html",
        {"meetings": selectors.open_meetings_for(request.user)[:200], "user": request.user},
    )


@login_required
@require_POST
def observe(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_observable_meeting(request.user, meeting_id)
    services.observe(by=request.user, meeting=meeting)
    messages.success(request, _("已登记为列席（督察组不打招呼列席），已记入账本"))
    return redirect("meetings:room", meeting.pk)
