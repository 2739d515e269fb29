"""The tours' pages (R-GATE-5): the district's tours with a chart of their figures by year, the form that
opens a tour, a tour's page (steps, opinions by way, rectifications with deadlines, leads) with the forms
that move it, and a unit's own rectifications with the form that answers them. Parse input, call one
service or selector, render; refusals propagate to web.refusals."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng import parameters
from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.selectors import people_named
from zhiheng.core import clock
from zhiheng.org import rules as org_rules
from zhiheng.org.models import Unit
from zhiheng.web.forms import submitted
from zhiheng.web.htmx import act_on_form, refuse_invalid_form

from .. import rules, selectors, services
from ..models import Tour
from ..parameters import LISTS, NAMESPACE
from .forms import AnswerForm, CloseForm, LeadForm, MethodForm, NoteForm, OpenForm, OpinionsForm, RectifyForm


def _chart(
    chart_id: str, title: str, categories: list[str], series: list[tuple[str, list[int]]]
) -> dict[str, Any]:
    """A bar chart as workbench/charts.js draws it, with the table behind it (workbench/parts/chart.html)."""
    return {
        "id": chart_id,
        "title": title,
        "spec": {
            "categories": categories,
            "unit": "",
            "integer": True,
            "dual": False,
            "stack": False,
            "horizontal": False,
            "series": [
                {"name": name, "data": [str(v) for v in values], "type": "bar"} for name, values in series
            ],
        },
        "head": ["", *[name for name, _v in series]],
        "rows": [[c, *[str(values[i]) for _n, values in series]] for i, c in enumerate(categories)]
        if any(v for _n, values in series for v in values)
        else [],
    }


def _by_year(tours: list[Tour]) -> dict[str, Any]:
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for t in tours:
        row = years[t.started_on.year]
        row[0] += len(t.targets.all())
        row[1] += t.n_opinions  # type: ignore[attr-defined]
        row[2] += t.n_rectifications  # type: ignore[attr-defined]
        row[3] += t.n_leads  # type: ignore[attr-defined]
    keys = sorted(years)
    names = (_("巡察单位"), _("意见建议"), _("整改问题"), _("移交线索"))
    return _chart(
        "chart-tours-by-year",
        _("历年巡察：单位、意见、整改与线索"),
        [str(y) for y in keys],
        [(name, [years[y][i] for y in keys]) for i, name in enumerate(names)],
    )


@login_required
def district(request: PersonRequest, code: str) -> HttpResponse:
    found, tours = selectors.list_tours_for(request.user, code)
    today = clock.today()
    overdue = selectors.overdue(selectors.of_district(found), today)
    rows = [
        {
            "tour": t,
            "units": len(t.targets.all()),
            "overdue": overdue.filter(tour=t).count() if t.done_on is None else 0,
        }
        for t in tours
    ]
    totals = {
        "units": len({target.unit_code for t in tours for target in t.targets.all()}),
        "opinions": sum(t.n_opinions for t in tours),  # type: ignore[attr-defined]
        "rectifications": sum(t.n_rectifications for t in tours),  # type: ignore[attr-defined]
        "closed": sum(t.n_closed for t in tours),  # type: ignore[attr-defined]
        "leads": sum(t.n_leads for t in tours),  # type: ignore[attr-defined]
        "overdue": overdue.count(),
    }
    return render(
        request,
        "tours/district.html",
        {
            "district": found,
            "rows": rows,
            "totals": totals,
            "charts": [_by_year(tours)],
            "may_open": org_rules.is_commission_admin(request.user, found),
        },
    )


@login_required
def open_tour(request: PersonRequest, code: str) -> HttpResponse:
    found = selectors.get_district_for(request.user, code)
    org_rules.ensure_commission_admin(request.user, found, rule="R-GATE-5", action="开展巡察")
    units = [(u.code, u.name) for u in Unit.objects.filter(district=found).order_by("code")]
    form = OpenForm(request.POST or None, units=units, team=selectors.team_choices(found))
    if request.method != "POST":
        return render(request, "tours/new.html", {"district": found, "form": form})
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    d = form.cleaned_data
    team = people_named(d["team"])
    made = services.open_tour(
        by=request.user,
        district=found,
        title=d["title"],
        units=selectors.units_in(found, d["units"]),
        team=[team[name] for name in d["team"] if name in team],
        started_on=d.get("started_on"),
    )
    messages.success(request, _("巡察已开展"))
    return redirect("tours:tour", made.pk)


@login_required
def tour(request: PersonRequest, pk: int) -> HttpResponse:
    found = selectors.get_tour_for(request.user, pk)
    ways = selectors.opinions_by_way(found)
    chart = _chart(
        f"chart-tour-{found.pk}-ways",
        _("各种方式收集的意见建议（条）"),
        [w.way for w in ways],
        [(_("意见建议"), [w.count for w in ways])],
    )
    today = clock.today()
    items = [
        {"item": r, "overdue": selectors.overdue_item(r, today)}
        for r in found.rectifications.select_related("target")
    ]
    return render(
        request,
        "tours/tour.html",
        {
            "tour": found,
            "steps": [{"n": i + 1, "name": s, "done": i < found.step} for i, s in enumerate(found.steps)],
            "targets": list(selectors.targets_of(found)),
            "opinions": found.opinions.select_related("target"),
            "items": items,
            "leads": found.leads.select_related("target"),
            "charts": [chart],
            "actions": rules.actions_for(request.user, found),
            "forms": {
                "note": NoteForm(),
                "opinions": OpinionsForm(),
                "rectify": RectifyForm(),
                "lead": LeadForm(),
                "close": CloseForm(),
            },
        },
    )


def _on_tour(request: PersonRequest, pk: int, form_class: type, call: Any, success: str) -> HttpResponse:
    found = selectors.get_tour_for(request.user, pk)
    rules.ensure_staff(request.user, found)  # the rule first: who may not act is refused whatever they typed
    return act_on_form(
        request, form_class(request.POST), lambda d: call(found, d), success=success, then="tours:tour", pk=pk
    )


@login_required
@require_POST
def advance(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_tour(
        request,
        pk,
        NoteForm,
        lambda t, d: services.advance_step(by=request.user, tour=t, note=d.get("note", "")),
        _("已完成本步骤"),
    )


@login_required
@require_POST
def opinions(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_tour(
        request,
        pk,
        OpinionsForm,
        lambda t, d: services.record_opinions(
            by=request.user,
            tour=t,
            way=d["way"],
            count=d["count"],
            unit=selectors.unit_in(t.district, d.get("unit")),
            summary=d.get("summary", ""),
            collected_on=d.get("collected_on"),
        ),
        _("意见建议已登记"),
    )


@login_required
@require_POST
def rectify(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_tour(
        request,
        pk,
        RectifyForm,
        lambda t, d: services.open_rectification(
            by=request.user,
            tour=t,
            unit=selectors.unit_in(t.district, d["unit"]),
            title=d["title"],
            deadline=d["deadline"],
        ),
        _("整改问题已交办"),
    )


@login_required
@require_POST
def lead(request: PersonRequest, pk: int) -> HttpResponse:
    return _on_tour(
        request,
        pk,
        LeadForm,
        lambda t, d: services.transfer_lead(
            by=request.user,
            tour=t,
            unit=selectors.unit_in(t.district, d["unit"]),
            summary=d["summary"],
            case=selectors.case_in(t.district, d.get("case")),
        ),
        _("问题线索已移交"),
    )


@login_required
@require_POST
def answer(request: PersonRequest, pk: int) -> HttpResponse:
    item = selectors.get_rectification_for(request.user, pk)
    rules.ensure_answer(request.user, item)
    return act_on_form(
        request,
        AnswerForm(request.POST),
        lambda d: services.answer_rectification(by=request.user, item=item, response=d["response"]),
        success=_("整改情况已报告"),
        then="tours:unit",
        code=item.target.unit_code,
    )


@login_required
@require_POST
def close(request: PersonRequest, pk: int) -> HttpResponse:
    item = selectors.get_rectification_for(request.user, pk)
    rules.ensure_staff(request.user, item.tour)
    return act_on_form(
        request,
        CloseForm(request.POST),
        lambda d: services.close_rectification(
            by=request.user, item=item, evidence=d["evidence"], closed_on=d.get("closed_on")
        ),
        success=_("整改问题已销号"),
        then="tours:tour",
        pk=item.tour_id,
    )


@login_required
def unit(request: PersonRequest, code: str) -> HttpResponse:
    found, qs = selectors.rectifications_of_unit(request.user, code)
    today = clock.today()
    items = [
        {
            "item": r,
            "overdue": selectors.overdue_item(r, today),
            "may_answer": rules.can_answer(request.user, r),
        }
        for r in qs.order_by("state", "deadline")
    ]
    return render(request, "tours/unit.html", {"unit": found, "items": items, "answer_form": AnswerForm()})


@login_required
def method(request: PersonRequest, code: str) -> HttpResponse:
    """The district's tour method in force (Yongchuan's "968" unless the district set its own), its source
    and versions, for whoever reads the district's tours; the commission admins set it (403 R-GATE-5 to the
    inspection group). A tour copies the method when it opens, so a change applies to tours opened after."""
    district = selectors.get_district_for(request.user, code)
    rules_in_force = parameters.effective(NAMESPACE, district=district)
    form = MethodForm(initial=MethodForm.initial_from(dict(rules_in_force.values)))
    status = 200
    if request.method == "POST":
        form = MethodForm(request.POST)
        call = lambda data: parameters.set_values(  # noqa: E731
            NAMESPACE, by=request.user, district=district, values=data
        )
        if submitted(form, call):
            messages.success(request, _("巡察工作法已设定并记入账本，此后开展的巡察按此进行"))
            return redirect("tours:method", district.code)
        status = 422
    return render(
        request,
        "tours/method.html",
        {
            "district": district,
            "lists": [(LISTS[key], rules_in_force.values[key]) for key in LISTS],
            "values": rules_in_force.values,
            "source": rules_in_force.source,
            "form": form,
            "can_set": parameters.can_set(request.user, district),
            "history": parameters.history(NAMESPACE, district=district),
        },
        status=status,
    )
