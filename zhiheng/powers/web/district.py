"""Pages for the district's configuration (R-DIV-2..5, R-ORG-3): templates and versions, unit
policies, incompatible pairs, filing rounds and categories — each change a service call, hence a
recorded, dated ledger act. The district's commission admins only: others who see the district get
the refusal with its rule (403, rendered by web.refusals); anyone else 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.core import clock
from zhiheng.core.errors import Invalid, NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit

from .. import selectors, services
from ..models import Category, PolicyTemplate
from ..services import policy


def _district(request: PersonRequest, code: str, rule: str) -> District:
    district = selectors.get_district_for(request.user, code)
    policy.ensure_policy_admin(request.user, district, rule)
    return district


def _unit(request: PersonRequest, code: str) -> Unit:
    unit = org.get_unit_for(request.user, code)
    policy.ensure_policy_admin(request.user, unit.district, "R-DIV-3")
    return unit


def _date(request: PersonRequest, name: str, *, default: dt.date | None = None) -> dt.date:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise Invalid("validation", _("请填写有效日期"), {name: raw}) from exc


def _text(request: PersonRequest, name: str, max_length: int, *, required: bool = True) -> str:
    value = request.POST.get(name, "").strip()[:max_length]
    if required and not value:
        raise Invalid("validation", _("请填写必填项"), {name: "required"})
    return value


@login_required
def config(request: PersonRequest, code: str) -> HttpResponse:
    """The district's configuration page: templates, units' policies, pairs, rounds, categories."""
    district = _district(request, code, "R-DIV-3")
    templates = list(selectors.list_templates(district).select_related("district"))
    units = list(Unit.objects.filter(district=district, is_active=True).order_by("code"))
    policies = selectors.policies_for_units(units)
    categories = list(selectors.list_categories(district))
    today = clock.today()
    return render(
        request,
        "powers/district_config.html",
        {
            "district": district,
            "templates": templates,
            "own_codes": sorted({t.code for t in templates if t.district_id == district.pk}),
            "units": [{"unit": u, "policy": policies.get(u.pk)} for u in units],
            "pairs": [
                {
                    "pair": p,
                    "active": (p.added_on is None or p.added_on <= today)
                    and (p.retired_on is None or p.retired_on > today),
                }
                for p in selectors.pair_history(district)
            ],
            "deadlines": selectors.list_deadlines(district),
            "open_deadline": selectors.open_deadline(district),
            "categories": categories,
            "today": today,
            "pending_changes": list(selectors.pending_power_changes(district)),
        },
    )


@login_required
@require_POST
def template_create(request: PersonRequest, code: str) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-3")
    template = services.create_template(
        by=request.user,
        district=district,
        code=_text(request, "code", 32),
        name=_text(request, "name", 64),
        restricted=request.POST.getlist("restricted"),
        x_choice=bool(request.POST.get("x_choice")),
        effective_from=_date(request, "effective_from", default=clock.today()),
        description=_text(request, "description", 2000, required=False),
    )
    messages.success(request, _("已新建政策模板 %(t)s") % {"t": template})
    return redirect("powers:district_config", district.code)


@login_required
@require_POST
def template_version(request: PersonRequest, code: str, template: str) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-3")
    created = services.revise_template(
        by=request.user,
        district=district,
        template=template,
        name=_text(request, "name", 64, required=False),
        restricted=request.POST.getlist("restricted"),
        x_choice=bool(request.POST.get("x_choice")),
        effective_from=_date(request, "effective_from", default=clock.today()),
    )
    messages.success(request, _("已发布 %(t)s") % {"t": created})
    return redirect("powers:district_config", district.code)


@login_required
@require_POST
def pair_add(request: PersonRequest, code: str) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-4")
    services.add_incompatible_pair(
        by=request.user,
        district=district,
        first=_text(request, "first", 32),
        second=_text(request, "second", 32),
        on=_date(request, "on", default=clock.today()),
    )
    messages.success(request, _("已设定不相容职权组合"))
    return redirect("powers:district_config", district.code)


@login_required
@require_POST
def pair_retire(request: PersonRequest, code: str, pk: int) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-4")
    pair = selectors.get_pair(district, pk)
    services.retire_incompatible_pair(
        by=request.user, pair=pair, on=_date(request, "on", default=clock.today())
    )
    messages.success(request, _("已取消该不相容组合（记录保留）"))
    return redirect("powers:district_config", district.code)


@login_required
@require_POST
def deadline_add(request: PersonRequest, code: str) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-5")
    services.set_deadline(
        by=request.user,
        district=district,
        label=_text(request, "label", 64),
        opens_on=_date(request, "opens_on"),
        due=_date(request, "due"),
    )
    messages.success(request, _("已设定报送期限"))
    return redirect("powers:district_config", district.code)


@login_required
@require_POST
def category_add(request: PersonRequest, code: str) -> HttpResponseRedirect:
    district = _district(request, code, "R-DIV-2")
    services.add_category(
        by=request.user, district=district, code=_text(request, "code", 32), name=_text(request, "name", 32)
    )
    messages.success(request, _("已增设职权类别"))
    return redirect("powers:district_config", district.code)


def _x_options(unit: Unit) -> list[Category]:
    """X categories a unit may choose: the unit-specific (non-common) ones of its district."""
    return [c for c in selectors.list_categories(unit.district) if not c.is_common]


def _template_choice(request: PersonRequest, unit: Unit) -> PolicyTemplate:
    raw = request.POST.get("template", "")
    code, _sep, version = raw.partition("@")
    try:
        return selectors.get_template_for(unit.district, code, int(version) if version.isdigit() else None)
    except NotFound as exc:
        raise Invalid("validation", _("请选择政策模板"), {"template": raw}) from exc


@login_required
def unit_policy(request: PersonRequest, code: str) -> HttpResponse:
    """R-ORG-3: the unit's template and X choice from a date; the restricted list it gives today."""
    unit = _unit(request, code)
    if request.method == "POST":
        template = _template_choice(request, unit)
        set_ = services.set_unit_policy(
            by=request.user,
            unit=unit,
            template=template,
            x_categories=request.POST.getlist("x_categories") if template.x_choice else [],
            in_force_from=_date(request, "in_force_from", default=clock.today()),
        )
        messages.success(
            request, _("已记录：自 %(d)s 起采用 %(t)s") % {"d": set_.in_force_from, "t": set_.template}
        )
        return redirect("powers:unit_policy", unit.code)
    current = selectors.policy_on(unit)
    chosen = {c.pk for c in current.x_categories.all()} if current else set()
    return render(
        request,
        "powers/unit_policy.html",
        {
            "unit": unit,
            "current": current,
            "restricted": [(p, r) for p, r in selectors.powers_with_restriction(unit)],
            "history": selectors.policy_history(unit),
            "templates": selectors.list_templates(unit.district),
            "x_options": [{"category": c, "checked": c.pk in chosen} for c in _x_options(unit)],
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def unit_policy_preview(request: PersonRequest, code: str) -> HttpResponse:
    """htmx: the categories the proposed template and X choice would restrict (nothing stored)."""
    unit = _unit(request, code)
    template = _template_choice(request, unit)
    x = set(request.POST.getlist("x_categories")) if template.x_choice else set()
    restricted = {c.code for c in template.restricted.all()} | x
    return render(
        request,
        "powers/unit_policy.html#preview",
        {
            "preview_template": template,
            "preview": [p for p in selectors.list_powers(unit) if p.category.code in restricted],
        },
    )
