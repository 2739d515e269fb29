"""Pages for the matter rules (R-MAT-3/4/7): the district default and a unit's override, each showing the
value in force of every field and where it comes from, and the versions that set them; the district's
commission admins edit them. Refusals propagate to the refusal page (web/refusals.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhiheng import parameters
from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Role, Unit
from zhiheng.parameters.selectors import get_district_for
from zhiheng.powers.models import Power

from .. import selectors
from ..models import MatterKind
from ..parameters import FIELDS, LABELS, LIST_FIELDS, NAMESPACE, ROLE_LABELS


def _initial(own: dict[str, Any] | None) -> dict[str, Any]:
    """The scope's own values for the form: money as text ("" = inherit), lists as lists, the set of list
    fields that inherit (None), and the legal officer's username."""
    own = own or {}
    out: dict[str, Any] = {"inherit": {f for f in LIST_FIELDS if own.get(f) is None}}
    for f in FIELDS:
        value = own.get(f)
        out[f] = (list(value) if value is not None else []) if f in LIST_FIELDS else value or ""
    legal = own.get("legal_officer")
    out["legal_officer"] = (
        Person.objects.filter(pk=legal).values_list("username", flat=True).first() or "" if legal else ""
    )
    return out


def _posted(post: QueryDict) -> tuple[dict[str, Any], dict[str, Any]]:
    """(form state to re-render, values to set). A list field inherits when its "沿用" box is ticked, or
    when the form did not show it at all (an API-like post of a few fields); otherwise the ticked choices
    — possibly none — are the unit's or district's own choice."""
    form: dict[str, Any] = {"inherit": set()}
    values: dict[str, Any] = {}
    for f in (*FIELDS, "legal_officer"):
        if f not in LIST_FIELDS:
            form[f] = post.get(f, "").strip()
            values[f] = form[f] or None  # blank = inherit
            continue
        items = [v for v in post.getlist(f) if v.strip()]
        if f"inherit-{f}" in post or (f"shown-{f}" not in post and not items):
            form["inherit"].add(f)
            values[f] = None
        else:
            values[f] = items
        form[f] = items
    return form, values


def _power_choices(*, district: District, unit: Unit | None) -> list[tuple[str, str]]:
    """The powers a 三重一大 list may name: the unit's catalogue, or the codes the district's units use."""
    qs = (
        Power.objects.filter(unit=unit) if unit is not None else Power.objects.filter(unit__district=district)
    )
    names: dict[str, str] = {}
    for code, name in qs.order_by("code", "unit__code").values_list("code", "name"):
        names.setdefault(code, name)
    return list(names.items())


def with_power_names(
    table: list[dict[str, Any]], *, district: District, unit: Unit | None
) -> list[dict[str, Any]]:
    """The rules table for people: the 三重一大 powers by their names, not their codes."""
    names = dict(_power_choices(district=district, unit=unit))
    for row in table:
        if row["field"] == "major_powers" and row["value"]:
            row["value"] = tuple(names.get(code, code) for code in row["value"])
    return table


def _form_fields(form: dict[str, Any], *, district: District, unit: Unit | None) -> list[dict[str, Any]]:
    kinds = [(k, str(label)) for k, label in MatterKind.choices]
    choices = {
        "cosign_kinds": kinds,
        "joint_review_kinds": kinds,
        "major_kinds": kinds,
        "cosign_roles": [(k, str(v)) for k, v in ROLE_LABELS.items()],
        "major_powers": _power_choices(district=district, unit=unit),
    }
    out: list[dict[str, Any]] = []
    for f in FIELDS:
        field: dict[str, Any] = {"name": f, "label": LABELS[f], "inherit": f in form["inherit"]}
        if f in choices:
            chosen = set(form.get(f) or [])
            field |= {"type": "choices", "choices": [(c, label, c in chosen) for c, label in choices[f]]}
        elif f == "major_keywords":
            field |= {"type": "words", "value": "、".join(form.get(f) or [])}
        else:
            field |= {"type": "money", "value": form.get(f, "")}
        out.append(field)
    return out


def _page(request: PersonRequest, *, district: District, unit: Unit | None = None) -> HttpResponse:
    form = _initial(parameters.effective(NAMESPACE, unit, district=district).own)
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        form, values = _posted(request.POST)
        if unit is None:
            values.pop("legal_officer")
        try:
            parameters.set_values(
                NAMESPACE, by=request.user, values=values, unit=unit, district=None if unit else district
            )
        except Invalid as exc:  # the form again, with every field's error
            errors, status = exc.detail, exc.status
        else:
            messages.success(request, _("事项规则已保存并记入台账"))
            return redirect(request.path)
    return render(
        request,
        "matters/rules.html",
        {
            "district": district,
            "unit": unit,
            "table": with_power_names(
                selectors.rules_table(unit=unit, district=district), district=district, unit=unit
            ),
            "history": parameters.history(NAMESPACE, unit, district=district),
            "can_edit": parameters.can_set(request.user, district),
            "form": form,
            "errors": errors,
            "error_labels": {f: LABELS.get(f, f) for f in errors},
            "fields": _form_fields(form, district=district, unit=unit),
            # The legal officer is chosen among the unit's people (posted as a username, as before).
            "legal_choices": (
                [(m.person.username, m.person.name) for m in org.team_on(unit) if m.role == Role.STAFF]
                if unit is not None
                else []
            ),
        },
        status=status,
    )


@login_required
def unit_rules(request: PersonRequest, code: str) -> HttpResponse:
    unit = org.get_unit_for(request.user, code)
    return _page(request, district=unit.district, unit=unit)


@login_required
def district_rules(request: PersonRequest, code: str) -> HttpResponse:
    return _page(request, district=get_district_for(request.user, code))
