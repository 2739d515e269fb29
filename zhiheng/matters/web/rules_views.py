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
from zhiheng.web.htmx import render_refusal

from .. import configuration, selectors
from ..models import MatterKind, MatterRules


def _initial(row: MatterRules | None) -> dict[str, str]:
    """The row's own values as form text ("" = inherit)."""
    if row is None:
        return {}
    out: dict[str, str] = {}
    for f in configuration.FIELDS:
        value = getattr(row, f)
        if value is None:
            out[f] = ""
        elif isinstance(value, list):
            out[f] = ",".join(value)
        else:
            out[f] = yuan_str(value)
    out["legal_officer"] = row.legal_officer.username if row.unit_id and row.legal_officer_id else ""
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
        form = {k: request.POST.get(k, "").strip() for k in (*configuration.FIELDS, "legal_officer")}
        values = {k: (v or None) for k, v in form.items()}  # blank = inherit
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
            "fields": [(f, configuration.LABELS[f]) for f in configuration.FIELDS],
            "kinds": MatterKind.choices,
            "roles": configuration.ROLE_LABELS,
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
