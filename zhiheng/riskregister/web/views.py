"""The register's pages (R-GATE-6): a unit's register by power with its A–D counts, a point's page with its
incidents and versions, the forms that propose, edit, review, publish, require a review and retire, and the
list of reviews due. Parse input, call one service or selector, render; points are read through
selectors.get_point_for (404 alike for unknown and invisible); every button comes from rules.actions_for;
refusals propagate to web.refusals, except a service's 422 on a form, put back on the form."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.selectors import find_person
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.powers import selectors as powers
from zhiheng.web.forms import submitted
from zhiheng.web.htmx import act, refuse_invalid_form

from .. import rules, selectors, services
from ..errors import NotAnEditor
from ..models import RiskPoint
from ..states import INPUTS, Status
from .forms import PointForm, ReasonForm, ReviewForm, UploadForm

GRADES = ("A", "B", "C", "D")


def _people(unit: Unit) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for m in org.memberships_on(unit).select_related("person").order_by("role", "person__username"):
        seen.setdefault(m.person.username, f"{m.person.name}（{m.get_role_display()}）")
    return list(seen.items())


def _editable_powers(person: Any, unit: Unit) -> list[tuple[str, str]]:
    """The powers whose points the person may propose: every power for the inspector, the powers in their
    charge for a deputy."""
    return [(p.code, p.name) for p in powers.list_powers(unit) if rules.can_propose(person, p)]


# ---------------------------------------------------------------------------------------------- register


@login_required
def register(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    unit, qs = selectors.list_points_for_unit(person, code, status=request.GET.get("status") or None)
    points = list(qs)
    flags = selectors.flags_for(points, person)
    by_power = [
        {"power": power, "points": [(p, flags[p.pk]) for p in group]}
        for power, group in groupby(points, key=lambda p: p.power)
    ]
    counts = selectors.grade_counts(qs.model.objects.filter(pk__in=[p.pk for p in points]))
    top = max(counts.values()) or 1
    bars = [{"grade": g, "count": counts[g], "width": round(100 * counts[g] / top)} for g in GRADES]
    return render(
        request,
        "riskregister/register.html",
        {
            "unit": unit,
            "by_power": by_power,
            "bars": bars,
            "total": sum(counts.values()),
            "needing_review": sum(1 for v in flags.values() if v),
            "status": request.GET.get("status", ""),
            "statuses": Status.choices,
            "sees_drafts": rules.sees_drafts(person, unit),
            "may_propose": rules.can_propose_in(person, unit),
        },
    )


@login_required
def propose(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    unit = org.get_unit_for(person, code)
    if not rules.can_propose_in(person, unit):
        raise NotAnEditor(detail={"unit": unit.code})
    choices = _editable_powers(person, unit)
    asked = powers.list_powers(unit).filter(code=request.POST.get("power", "")).first()
    if asked is not None:
        rules.ensure_propose(person, asked)  # a power not in the person's charge: refused by the rule (403)
    form = PointForm(
        request.POST or None,
        powers=choices,
        people=_people(unit),
        initial={"power": request.GET.get("power", "")},
    )
    created: list[RiskPoint] = []
    if request.method == "POST":

        def call(d: dict[str, Any]) -> None:
            power = powers.list_powers(unit).filter(code=d["power"]).first()
            if power is None:
                raise Invalid("validation", _("请检查输入"), {"fields": {"power": [_("未知职权")]}})
            owner = find_person(d["owner"])
            if owner is None:
                raise Invalid("validation", _("请检查输入"), {"fields": {"owner": [_("未知人员")]}})
            created.append(
                services.propose_point(
                    by=person,
                    power=power,
                    owner=owner,
                    review_due=d.get("review_due"),
                    **{k: d[k] for k in ("description", "type", "measures", *INPUTS)},
                )
            )

        if submitted(form, call):
            messages.success(request, _("风险点已登记（草稿），公示后单位内可见"))
            return redirect("riskregister:point", created[0].pk)
        status = 422
    else:
        status = 200
    return render(
        request, "riskregister/form.html", {"unit": unit, "form": form, "point": None}, status=status
    )


# ---------------------------------------------------------------------------------------------- a point


@login_required
def point(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.user
    found = selectors.get_point_for(person, pk)
    actions = rules.actions_for(person, found)
    incidents = selectors.incidents_of(found, person)
    return render(
        request,
        "riskregister/point.html",
        {
            "point": found,
            "unit": found.unit,
            "actions": actions,
            "incidents": incidents,
            "revisions": selectors.revisions_of(found),
            "review_form": ReviewForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def edit(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.user
    found = selectors.get_point_for(person, pk)
    rules.ensure_edit(person, found)
    unit = found.unit
    initial = {
        "description": found.description,
        "type": found.type,
        "measures": found.measures,
        "owner": found.owner.username,
        **found.inputs(),
    }
    form = PointForm(request.POST or None, powers=[], people=_people(unit), editing=True, initial=initial)
    if request.method == "POST":

        def call(d: dict[str, Any]) -> None:
            owner = find_person(d["owner"])
            if owner is None:
                raise Invalid("validation", _("请检查输入"), {"fields": {"owner": [_("未知人员")]}})
            services.edit_point(
                by=person,
                point=found,
                reason=d.get("reason", ""),
                owner=owner,
                **{k: d[k] for k in ("description", "type", "measures", *INPUTS)},
            )

        if submitted(form, call):
            messages.success(request, _("风险点已修改"))
            return redirect("riskregister:point", pk)
        status = 422
    else:
        status = 200
    return render(
        request, "riskregister/form.html", {"unit": unit, "form": form, "point": found}, status=status
    )


def _point_post(
    request: PersonRequest,
    pk: int,
    form_class: type[Form] | None,
    call: Callable[[RiskPoint, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    found = selectors.get_point_for(request.user, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        # the rule first: who may not act is refused as such, whatever they typed
        call_with: Callable[[], object] = lambda: call(found, {"reason": "", "note": ""})  # noqa: E731
        return act(request, call_with, success=success, then="riskregister:point", pk=pk)
    data = form.cleaned_data if form is not None else {}
    return act(request, lambda: call(found, data), success=success, then="riskregister:point", pk=pk)


@login_required
@require_POST
def review(request: PersonRequest, pk: int) -> HttpResponse:
    return _point_post(
        request,
        pk,
        ReviewForm,
        lambda p, d: services.review_point(by=request.user, point=p, note=d.get("note", "")),
        _("已复核，下次复核日期已更新"),
    )


@login_required
@require_POST
def publish(request: PersonRequest, pk: int) -> HttpResponse:
    return _point_post(
        request,
        pk,
        None,
        lambda p, d: services.publish_point(by=request.user, point=p),
        _("风险点已在单位内公示"),
    )


@login_required
@require_POST
def require_review(request: PersonRequest, pk: int) -> HttpResponse:
    return _point_post(
        request,
        pk,
        ReasonForm,
        lambda p, d: services.require_review(by=request.user, point=p, reason=d.get("reason", "")),
        _("已要求复核"),
    )


@login_required
@require_POST
def retire(request: PersonRequest, pk: int) -> HttpResponse:
    return _point_post(
        request,
        pk,
        ReasonForm,
        lambda p, d: services.retire_point(by=request.user, point=p, reason=d.get("reason", "")),
        _("风险点已停用"),
    )


@login_required
@require_POST
def import_points(request: PersonRequest, code: str) -> HttpResponse:
    """Risk points from the export's columns, as drafts, all or nothing (services/imports.py); the result
    page lists what was registered, what was already there, or each refused row with its rule."""
    person = request.user
    unit = org.get_unit_for(person, code)
    if not rules.can_propose_in(person, unit):
        raise NotAnEditor(detail={"unit": unit.code})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    result = services.import_points(by=person, unit=unit, data=form.cleaned_data["file"].read())
    return render(
        request,
        "riskregister/imported.html",
        {"unit": unit, "result": result},
        status=422 if result.errors else 200,
    )


# ---------------------------------------------------------------------------------------------- reviews due


@login_required
def reviews(request: PersonRequest) -> HttpResponse:
    rows = selectors.due_for_review(request.user)
    return render(request, "riskregister/reviews.html", {"rows": rows})
