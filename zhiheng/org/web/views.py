"""Pages for districts, units and teams. Commission admins create and edit; everyone sees their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.core.errors import NotFound
from zhiheng.org import rules, selectors, services
from zhiheng.org.models import District, Membership
from zhiheng.web.htmx import act, refuse_invalid_form

from .forms import AppointForm, ChangePrincipalForm, EndTermForm, UnitEditForm, UnitForm


def _district_for(person, code: str) -> District:
    district = selectors.list_districts_for(person).filter(code=code).first()
    if district is None:
        raise NotFound()
    return district


def _unit_for(person, code: str):
    return selectors.get_unit_for(person, code)


@login_required
def district(request, code: str):
    district = _district_for(request.user, code)
    units = district.units.all().order_by("code")
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(name__icontains=q) | units.filter(code__icontains=q)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    form = UnitForm()
    if request.method == "POST":
        form = UnitForm(request.POST)
        if form.is_valid():
            unit = services.create_unit(by=request.user, district=district, **form.cleaned_data)
            messages.success(request, _("已设立单位：%(name)s") % {"name": unit.name})
            return redirect("org:unit", unit.code)
    return render(request, "org/district.html", {"district": district, "page": page, "form": form, "q": q})


@login_required
def unit(request, code: str):
    unit = _unit_for(request.user, code)
    can_manage = rules.can_manage_unit(request.user, unit)
    history = Membership.objects.filter(unit=unit).select_related("person").order_by("-start")
    return render(
        request,
        "org/unit.html",
        {
            "unit": unit,
            "team": selectors.team_on(unit),
            "history": history if can_manage else None,
            "can_manage": can_manage,
            "edit_form": UnitEditForm(
                initial={"name": unit.name, "kind": unit.kind, "is_active": unit.is_active}
            ),
            "appoint_form": AppointForm(),
            "principal_form": ChangePrincipalForm(),
        },
    )


def _managed_unit(request, code: str):
    unit = _unit_for(request.user, code)
    if not rules.can_manage_unit(request.user, unit):
        raise NotFound()  # the team's edit pages do not exist for those who may not edit them
    return unit


@login_required
@require_POST
def edit_unit(request, code: str):
    unit = _managed_unit(request, code)
    form = UnitEditForm(request.POST)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    return act(
        request,
        lambda: services.update_unit(by=request.user, unit=unit, **form.cleaned_data),
        success=_("单位信息已更新"),
        then="org:unit",
        code=unit.code,
    )


@login_required
@require_POST
def appoint(request, code: str):
    unit = _managed_unit(request, code)
    form = AppointForm(request.POST)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    return act(
        request,
        lambda: services.appoint(by=request.user, unit=unit, **form.cleaned_data),
        success=_("任职已登记"),
        then="org:unit",
        code=unit.code,
    )


@login_required
@require_POST
def end_term(request, code: str, membership_id: int):
    unit = _managed_unit(request, code)
    membership = get_object_or_404(Membership, pk=membership_id, unit=unit)
    form = EndTermForm(request.POST)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    return act(
        request,
        lambda: services.end_term(by=request.user, membership=membership, end=form.cleaned_data["end"]),
        success=_("任职已结束"),
        then="org:unit",
        code=unit.code,
    )


@login_required
@require_POST
def change_principal(request, code: str):
    unit = _managed_unit(request, code)
    form = ChangePrincipalForm(request.POST)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    return act(
        request,
        lambda: services.change_principal(by=request.user, unit=unit, **form.cleaned_data),
        success=_("一把手交接已登记"),
        then="org:unit",
        code=unit.code,
    )
