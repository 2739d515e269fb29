"""Pages for the district: meeting rules set by the commission admins (R-MTG-2/3) and the inspection
group's unannounced observation of open meetings (R-SUP-2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.core.errors import DomainError, Invalid, NotFound
from zhiheng.meetings import rules_config, selectors, services
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.web.htmx import render_refusal

from .forms import RulesForm


def _district(request, code: str):
    district = org.list_districts_for(request.user).filter(code=code).first()
    if district is None:
        raise Http404
    return district


@login_required
def district_rules(request, code: str):
    district = _district(request, code)
    row = rules_config.district_row(district)
    form = RulesForm(initial=RulesForm.initial_from(rules_config.as_dict(row)))
    if request.method == "POST":
        form = RulesForm(request.POST)
        if not form.is_valid():
            return render_refusal(
                request, Invalid("validation", _("请检查输入"), {"fields": form.errors}), status=422
            )
        try:
            rules_config.set_district_rules(by=request.user, district=district, **form.changes())
        except DomainError as err:
            return render_refusal(request, err)
        messages.success(request, _("本区议事规则默认值已设定并记入账本"))
        return redirect("meetings:district_rules", district.code)
    units = Unit.objects.filter(district=district).order_by("code")
    return render(
        request,
        "meetings/rules.html",
        {
            "district": district,
            "form": form,
            "source": "district" if row else "default",
            "units": [(u, *rules_config.effective(u)) for u in units],
            "can_set": rules_config.can_set_rules(request.user, district),
        },
    )


@login_required
def unit_rules(request, code: str):
    try:
        unit = org.get_unit_for(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    values, source = rules_config.effective(unit)
    form = RulesForm(initial=RulesForm.initial_from(values))
    if request.method == "POST":
        if request.POST.get("reset"):
            try:
                rules_config.clear_unit_rules(by=request.user, unit=unit)
            except DomainError as err:
                return render_refusal(request, err)
            messages.success(request, _("已恢复本区默认议事规则"))
            return redirect("meetings:unit_rules", unit.code)
        form = RulesForm(request.POST)
        if not form.is_valid():
            return render_refusal(
                request, Invalid("validation", _("请检查输入"), {"fields": form.errors}), status=422
            )
        try:
            rules_config.set_unit_rules(by=request.user, unit=unit, **form.changes())
        except DomainError as err:
            return render_refusal(request, err)
        messages.success(request, _("本单位议事规则已设定并记入账本"))
        return redirect("meetings:unit_rules", unit.code)
    return render(
        request,
        "meetings/unit_rules.html",
        {
            "unit": unit,
            "values": values,
            "source": source,
            "form": form,
            "can_set": rules_config.can_set_rules(request.user, unit.district),
        },
    )


@login_required
def inspection_list(request):
    """The inspection group's list of open meetings in its districts, each with the observe button."""
    return render(
        request,
        "meetings/inspection.html",
        {"meetings": selectors.open_meetings_for(request.user)[:200], "user": request.user},
    )


@login_required
@require_POST
def observe(request, meeting_id: int):
    try:
        meeting = selectors.get_observable_meeting(request.user, meeting_id)
        services.observe(by=request.user, meeting=meeting)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as err:
        return render_refusal(request, err)
    messages.success(request, _("已登记为列席（督察组不打招呼列席），已记入账本"))
    return redirect("meetings:room", meeting.pk)
