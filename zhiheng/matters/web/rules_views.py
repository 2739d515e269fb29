"""Pages for the matter rules (R-MAT-3/4/7): the district default and a unit's override, each showing the
effective value of every field and where it comes from; the district's commission admins edit them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhiheng.core.errors import DomainError, Forbidden, Invalid, NotFound
from zhiheng.core.money import yuan_str
from zhiheng.org import selectors as org
from zhiheng.powers.models import Power
from zhiheng.web.htmx import render_refusal

from .. import configuration, selectors
from ..models import MatterKind, MatterRules


def _initial(row: MatterRules | None) -> dict:
    """The row's own values for the form: money as text ("" = inherit), lists as lists, and the set of
    list fields that inherit (None on the row)."""
    out: dict = {"inherit": set(configuration.LIST_FIELDS)}
    if row is None:
        return out
    for f in configuration.FIELDS:
        value = getattr(row, f)
        if f in configuration.LIST_FIELDS:
            if value is not None:
                out[f] = list(value)
                out["inherit"].discard(f)
        else:
            out[f] = "" if value is None else yuan_str(value)
    out["legal_officer"] = row.legal_officer.username if row.unit_id and row.legal_officer_id else ""
    return out


def _posted(post) -> tuple[dict, dict]:
    """(form state to re-render, values for set_rules). A list field inherits when its "沿用" box is
    ticked, or when the form did not show it at all (an API-like post of a few fields); otherwise the
    ticked choices — possibly none — are the unit's or district's own choice."""
    form: dict = {"inherit": set()}
    values: dict = {}
    for f in (*configuration.FIELDS, "legal_officer"):
        if f not in configuration.LIST_FIELDS:
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


def _power_choices(*, district, unit) -> list[tuple[str, str]]:
    """The powers a 三重一大 list may name: the unit's catalogue, or the codes the district's units use."""
    qs = (
        Power.objects.filter(unit=unit) if unit is not None else Power.objects.filter(unit__district=district)
    )
    names: dict[str, str] = {}
    for code, name in qs.order_by("code", "unit__code").values_list("code", "name"):
        names.setdefault(code, name)
    return [(code, f"{name}（{code}）") for code, name in names.items()]


def _form_fields(form: dict, *, district, unit) -> list[dict]:
    kinds = [(k, str(label)) for k, label in MatterKind.choices]
    choices = {
        "cosign_kinds": kinds,
        "joint_review_kinds": kinds,
        "major_kinds": kinds,
        "cosign_roles": [(k, str(v)) for k, v in configuration.ROLE_LABELS.items()],
        "major_powers": _power_choices(district=district, unit=unit),
    }
    out = []
    for f in configuration.FIELDS:
        field = {"name": f, "label": configuration.LABELS[f], "inherit": f in form["inherit"]}
        if f in choices:
            chosen = set(form.get(f) or [])
            field |= {"type": "choices", "choices": [(c, label, c in chosen) for c, label in choices[f]]}
        elif f == "major_keywords":
            field |= {"type": "words", "value": "、".join(form.get(f) or [])}
        else:
            field |= {"type": "money", "value": form.get(f, "")}
        out.append(field)
    return out


def _page(request, *, district, unit=None):
    lookup = {"unit": unit} if unit is not None else {"district": district}
    can_edit = configuration.can_configure(request.user, district)
    form = _initial(MatterRules.objects.filter(**lookup).first())
    errors: dict = {}
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render_refusal(
                request,
                Forbidden("R-MAT-3", _("只有本区纪委管理员可以设置事项规则"), {"district": district.code}),
            )
        form, values = _posted(request.POST)
        if unit is None:
            values.pop("legal_officer")
        try:
            configuration.set_rules(by=request.user, values=values, **lookup)
        except Invalid as exc:
            errors, status = exc.detail, exc.status
        except DomainError as exc:
            return render_refusal(request, exc)
        else:
            messages.success(request, _("事项规则已保存并记入台账"))
            return redirect(request.path)
    return render(
        request,
        "matters/rules.html",
        {
            "district": district,
            "unit": unit,
            "table": selectors.rules_table(unit=unit, district=district),
            "history": selectors.rules_history(unit=unit, district=district),
            "can_edit": can_edit,
            "form": form,
            "errors": errors,
            "error_labels": {f: configuration.LABELS.get(f, f) for f in errors},
            "fields": _form_fields(form, district=district, unit=unit),
        },
        status=status,
    )


@login_required
def unit_rules(request, code: str):
    try:
        unit = org.get_unit_for(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    return _page(request, district=unit.district, unit=unit)


@login_required
def district_rules(request, code: str):
    district = org.list_districts_for(request.user).filter(code=code).first()
    if district is None:
        raise Http404
    return _page(request, district=district)
