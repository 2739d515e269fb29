"""Pages for districts, units and teams. Commission admins create and edit; everyone sees their own."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound
from zhiheng.org import rules, selectors, services
from zhiheng.org.models import District, Membership, Unit
from zhiheng.web.htmx import act_on_form

from .forms import AppointForm, ChangePrincipalForm, EndTermForm, UnitEditForm, UnitForm


def _district_for(person: Person, code: str) -> District:
    district = selectors.list_districts_for(person).filter(code=code).first()
    if district is None:
        raise NotFound()
    return district


def _unit_for(person: Person, code: str) -> Unit:
    return selectors.get_unit_for(person, code)


@login_required
def district(request: PersonRequest, code: str) -> HttpResponse:
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
def unit(request: PersonRequest, code: str) -> HttpResponse:
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


def _managed_unit(request: PersonRequest, code: str) -> Unit:
    unit = _unit_for(request.user, code)
    if not rules.can_manage_unit(request.user, unit):
        raise NotFound()  # the team's edit pages do not exist for those who may not edit them
    return unit


def _team_form(
    form_class: type[BaseForm], service: Callable[..., object], success: str
) -> Callable[[PersonRequest, str], HttpResponse]:
    """A team-editing form on the unit page: one who manages the unit posts it, its cleaned data goes to
    `service` with the unit, and the page comes back with `success` (a msgid, translated per request)."""

    @login_required
    @require_POST
    def view(request: PersonRequest, code: str) -> HttpResponse:
        unit = _managed_unit(request, code)
        return act_on_form(
            request,
            form_class(request.POST),
            lambda data: service(by=request.user, unit=unit, **data),
            success=_(success),
            then="org:unit",
            code=unit.code,
        )

    return view


edit_unit = _team_form(UnitEditForm, services.update_unit, gettext_noop("单位信息已更新"))
appoint = _team_form(AppointForm, services.appoint, gettext_noop("任职已登记"))
change_principal = _team_form(
    ChangePrincipalForm, services.change_principal, gettext_noop("一把手交接已登记")
)


@login_required
@require_POST
def end_term(request: PersonRequest, code: str, membership_id: int) -> HttpResponse:
    unit = _managed_unit(request, code)
    membership = selectors.get_membership(unit, membership_id)
    return act_on_form(
        request,
        EndTermForm(request.POST),
        lambda data: services.end_term(by=request.user, membership=membership, end=data["end"]),
        success=_("任职已结束"),
        then="org:unit",
        code=unit.code,
    )
