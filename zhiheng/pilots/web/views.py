"""The pilot programmes' pages (R-PIL-1): a district's programmes (and the form that sets one up), a unit's
programmes, and a programme's page — its phases as a timeline, its units, the commission's visits, its
rollout — with a form for each write. Parse input, call one service or selector, render; programmes are
read through selectors.get_programme_for (404 alike for unknown and invisible); every form shows only when
rules.actions_for allows it; the rule is asked before the input is read, so who may not act is refused as
such (403), and a service's 422 is put back on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.powers import selectors as powers
from zhiheng.web.forms import submitted

from .. import rules, selectors, services, states
from ..models import Programme
from ..states import ORDER
from .forms import CreateForm, PhaseForm, RolloutForm, UnitForm, VisitForm


def _named(units: Any) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in units]


def _units_named(programme: Programme, codes: list[str]) -> list[Unit]:
    found = {u.code: u for u in Unit.objects.filter(district=programme.district, code__in=codes)}
    return [found[c] for c in codes if c in found]


def _unit_named(programme: Programme, code: str) -> Unit:
    """A unit of the programme's district; 404 for any other code."""
    found = _units_named(programme, [code])
    if not found:
        raise NotFound()
    return found[0]


def _rows(programmes: Any) -> list[tuple[Programme, str]]:
    today = clock.today()
    return [(p, states.stage(p.phase_dates(), p.rolled_out_on, today)) for p in programmes]


# ---------------------------------------------------------------------------------------------- lists


@login_required
def district(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    found = powers.get_district_for(person, code)
    may_create = rules.can_create(person, found)
    if request.method == "POST":
        rules.ensure_create(person, found)
    units = Unit.objects.filter(district=found).order_by("code")
    form = CreateForm(request.POST or None, units=_named(units)) if may_create else None
    if form is not None and request.method == "POST":
        created: list[Programme] = []

        def call(d: dict[str, Any]) -> None:
            named = list(units.filter(code__in=d["units"]))
            created.append(services.create_programme(by=person, district=found, name=d["name"], units=named))

        if submitted(form, call):
            messages.success(request, _("试点已设立"))
            return redirect("pilots:programme", created[0].pk)
    context = {
        "district": found,
        "unit": None,
        "rows": _rows(selectors.list_programmes_for(person, found)),
        "form": form,
    }
    status = 422 if form is not None and form.errors else 200
    return render(request, "pilots/list.html", context, status=status)


@login_required
def unit(request: PersonRequest, code: str) -> HttpResponse:
    found = org.get_unit_for(request.user, code)
    rows = _rows(selectors.programmes_of_unit(request.user, found))
    return render(
        request, "pilots/list.html", {"district": found.district, "unit": found, "rows": rows, "form": None}
    )


# ---------------------------------------------------------------------------------------------- a programme


def _forms(programme: Programme, data: Any = None, which: str = "") -> dict[str, Form]:
    """The page's forms, the one posted (`which`) bound to its data."""
    members = selectors.member_units(programme)
    outside = selectors.remaining_units(programme).order_by("code")
    factories: dict[str, Callable[[Any], Form]] = {
        "add_form": lambda d: UnitForm(d, units=_named(outside)),
        "phase_form": lambda d: PhaseForm(d),
        "visit_form": lambda d: VisitForm(d, units=_named(members)),
        "rollout_form": lambda d: RolloutForm(
            d, templates=[(t.code, t.name) for t in powers.list_templates(programme.district)]
        ),
    }
    return {name: make(data if name == which else None) for name, make in factories.items()}


def _page(
    request: PersonRequest, programme: Programme, forms: dict[str, Form], status: int = 200
) -> HttpResponse:
    person = request.user
    phases = programme.phase_dates()
    today = clock.today()
    timeline = [
        {"name": name, "start": phases.get(name), "begun": states.begun(phases, name, today)}
        for name in ORDER
    ]
    context = {
        "programme": programme,
        "district": programme.district,
        "stage": states.stage(phases, programme.rolled_out_on, today),
        "timeline": timeline,
        "members": selectors.member_units(programme),
        "rollout_units": [r.unit for r in programme.rollout_units.all()],
        "visits": selectors.visits_for(person, programme),
        "actions": rules.actions_for(person, programme),
        **forms,
    }
    return render(request, "pilots/programme.html", context, status=status)


@login_required
def programme(request: PersonRequest, pk: int) -> HttpResponse:
    found = selectors.get_programme_for(request.user, pk)
    return _page(request, found, _forms(found))


def _post(
    request: PersonRequest,
    pk: int,
    which: str,
    ensure: Callable[[Any, Programme], None],
    call: Callable[[Programme, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """One write of the programme's page: the rule first, then the form; a 422 shows the page again with the
    form as typed."""
    found = selectors.get_programme_for(request.user, pk)
    ensure(request.user, found)
    forms = _forms(found, request.POST, which)
    if submitted(forms[which], lambda d: call(found, d)):
        messages.success(request, success)
        return redirect("pilots:programme", pk)
    return _page(request, selectors.get_programme_for(request.user, pk), forms, status=422)


@login_required
@require_POST
def add_unit(request: PersonRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "add_form",
        rules.ensure_units,
        lambda p, d: services.add_unit(by=request.user, programme=p, unit=_unit_named(p, d["unit"])),
        _("已增加试点单位"),
    )


@login_required
@require_POST
def remove_unit(request: PersonRequest, pk: int, code: str) -> HttpResponse:
    found = selectors.get_programme_for(request.user, pk)
    rules.ensure_units(request.user, found)
    services.remove_unit(by=request.user, programme=found, unit=_unit_named(found, code))
    messages.success(request, _("已移出试点单位"))
    return redirect("pilots:programme", pk)


@login_required
@require_POST
def set_phase(request: PersonRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "phase_form",
        rules.ensure_phase,
        lambda p, d: services.set_phase(by=request.user, programme=p, name=d["name"], start=d["start"]),
        _("试点阶段已设定"),
    )


@login_required
@require_POST
def record_visit(request: PersonRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "visit_form",
        rules.ensure_visit,
        lambda p, d: services.record_visit(
            by=request.user,
            programme=p,
            on=d["on"],
            units=_units_named(p, d["units"]),
            visitors=d["visitors"],
            findings=d["findings"],
        ),
        _("督查已记录"),
    )


@login_required
@require_POST
def roll_out(request: PersonRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        "rollout_form",
        rules.ensure_rollout,
        lambda p, d: services.roll_out(
            by=request.user, programme=p, on=d["on"], template=d["template"] or None
        ),
        _("已全面推开"),
    )
