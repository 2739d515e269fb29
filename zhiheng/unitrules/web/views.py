"""The unit rules' pages (R-PIL-2): a unit's rules by group, a rule with its versions and the diff of any two,
the forms that record a rule, adopt a model, revise and repeal; the district's library of model rules and
its forms; Excel import on the list pages. Parse input, call one service or selector, render; refusals
propagate to web.refusals, except a service's 422 on a form, put back on the form."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit
from zhiheng.powers import selectors as powers
from zhiheng.powers.models import Category
from zhiheng.web.forms import submitted
from zhiheng.web.htmx import act_on_form, refuse_invalid_form

from .. import diffing, rules, selectors, services
from ..errors import NotALibrarian
from ..models import ModelRule, Rule
from .forms import AdoptForm, ModelForm, RepealForm, RuleForm, UploadForm


def _power_choices(unit: Unit) -> list[tuple[str, str]]:
    return [(p.code, f"{p.name}（{p.code}）") for p in powers.list_powers(unit)]


def _category_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in Category.objects.order_by("code")]


def _form_page(request: PersonRequest, template: str, context: dict[str, Any], ok: bool) -> HttpResponse:
    status = 422 if request.method == "POST" and not ok else 200
    return render(request, template, context, status=status)


# ---------------------------------------------------------------------------------------------- a unit


@login_required
def unit_rules(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    show_all = request.GET.get("all") == "1"
    unit, qs = selectors.list_rules_for_unit(person, code, include_repealed=show_all)
    listed = [(r, selectors.current_version(r)) for r in qs]
    groups = [
        {"name": name, "rules": list(members)}
        for name, members in groupby(listed, key=lambda rv: rv[0].group)
    ]
    return render(
        request,
        "unitrules/unit.html",
        {
            "unit": unit,
            "groups": groups,
            "in_force": sum(1 for r, _v in listed if r.status == "in_force"),
            "show_all": show_all,
            "may_write": rules.can_write(person, unit),
            "upload_form": UploadForm(),
        },
    )


@login_required
def create(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    unit = org.get_unit_for(person, code)
    rules.ensure_write(person, unit)
    form = RuleForm(request.POST or None, powers=_power_choices(unit), items=selectors.adopting_items(unit))
    created: list[Rule] = []

    def call(d: dict[str, Any]) -> None:
        found, _unknown = selectors.unit_powers(unit, d["powers"])
        created.append(
            services.create_rule(
                by=person,
                unit=unit,
                code=d["code"],
                title=d["title"],
                body=d["body"],
                group=d["group"],
                powers=found,
                **form.adoption_kwargs(),
            )
        )

    if request.method == "POST" and submitted(form, call):
        messages.success(request, _("制度已登记（第 1 版）"))
        return redirect("unitrules:rule", unit.code, created[0].code)
    return _form_page(request, "unitrules/form.html", {"unit": unit, "form": form, "rule": None}, False)


@login_required
def adopt(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    unit = org.get_unit_for(person, code)
    rules.ensure_write(person, unit)
    library = selectors.list_models(unit.district)
    form = AdoptForm(
        request.POST or None,
        models=[(str(m.pk), f"{m.code} {m.title}") for m in library],
        items=selectors.adopting_items(unit),
        initial={"model": request.GET.get("model", "")},
    )
    created: list[Rule] = []

    def call(d: dict[str, Any]) -> None:
        model = library.filter(pk=int(d["model"])).first()
        if model is None:
            raise Invalid("validation", _("请检查输入"), {"fields": {"model": [_("未知范本")]}})
        created.append(
            services.adopt_model(by=person, unit=unit, model=model, code=d["code"], **form.adoption_kwargs())
        )

    if request.method == "POST" and submitted(form, call):
        messages.success(request, _("已采用范本，生成本单位制度第 1 版，可继续修订"))
        return redirect("unitrules:rule", unit.code, created[0].code)
    return _form_page(request, "unitrules/adopt.html", {"unit": unit, "form": form}, False)


@login_required
@require_POST
def import_rules(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    unit = org.get_unit_for(person, code)
    rules.ensure_write(person, unit)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    result = services.import_rules(by=person, unit=unit, data=form.cleaned_data["file"].read())
    return render(
        request,
        "unitrules/imported.html",
        {"unit": unit, "district": None, "result": result},
        status=422 if result.errors else 200,
    )


# ---------------------------------------------------------------------------------------------- a rule


@login_required
def rule(request: PersonRequest, code: str, rule: str) -> HttpResponse:
    person = request.user
    found = selectors.get_rule_for(person, code, rule)
    versions = selectors.versions_of(found)
    diff = (
        selectors.diff(found, _number(request, "from"), _number(request, "to")) if len(versions) > 1 else None
    )
    model_diff = None
    if found.model is not None and found.model.version != found.model_version:
        model_diff = diffing.line_diff(versions[-1].body, found.model.body)
    return render(
        request,
        "unitrules/rule.html",
        {
            "unit": found.unit,
            "rule": found,
            "current": versions[-1],
            "versions": list(reversed(versions)),
            "diff": diff,
            "actions": rules.actions_for(person, found),
            "repeal_form": RepealForm(items=selectors.adopting_items(found.unit), legacy=False)
            if rules.actions_for(person, found)["repeal"]
            else None,
            "model_diff": model_diff,
        },
    )


def _number(request: PersonRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
def revise(request: PersonRequest, code: str, rule: str) -> HttpResponse:
    person = request.user
    found = selectors.get_rule_for(person, code, rule)
    rules.ensure_write(person, found.unit, found, "revise")
    current = selectors.current_version(found)
    form = RuleForm(
        request.POST or None,
        powers=_power_choices(found.unit),
        items=selectors.adopting_items(found.unit),
        revising=True,
        initial={
            "group": current.group,
            "title": current.title,
            "body": current.body,
            "powers": selectors.power_codes(current),
        },
    )

    def call(d: dict[str, Any]) -> None:
        chosen, _unknown = selectors.unit_powers(found.unit, d["powers"])
        services.revise_rule(
            by=person,
            rule=found,
            title=d["title"],
            body=d["body"],
            group=d["group"],
            powers=chosen,
            note=d.get("note", ""),
            **form.adoption_kwargs(),
        )

    if request.method == "POST" and submitted(form, call):
        messages.success(request, _("新版本已登记，原版本保留"))
        return redirect("unitrules:rule", found.unit.code, found.code)
    return _form_page(
        request, "unitrules/form.html", {"unit": found.unit, "form": form, "rule": found}, False
    )


@login_required
@require_POST
def repeal(request: PersonRequest, code: str, rule: str) -> HttpResponse:
    person = request.user
    found = selectors.get_rule_for(person, code, rule)
    rules.ensure_write(person, found.unit, found, "repeal")
    form = RepealForm(request.POST, items=selectors.adopting_items(found.unit), legacy=False)
    return act_on_form(
        request,
        form,
        lambda d: services.repeal_rule(
            by=person, rule=found, reason=d.get("reason", ""), **form.adoption_kwargs()
        ),
        success=_("制度已废止（历次版本保留）"),
        then="unitrules:rule",
        code=found.unit.code,
        rule=found.code,
    )


# ---------------------------------------------------------------------------------------------- the library


@login_required
def library(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    district = selectors.get_district_for_library(person, code)
    show_all = request.GET.get("all") == "1"
    models = list(selectors.list_models(district, include_withdrawn=show_all))
    return render(
        request,
        "unitrules/library.html",
        {
            "district": district,
            "groups": [{"name": n, "models": list(m)} for n, m in groupby(models, key=lambda m: m.group)],
            "show_all": show_all,
            "may_edit": rules.can_edit_library(person, district),
            "upload_form": UploadForm(),
        },
    )


@login_required
def create_model(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    district = selectors.get_district_for_library(person, code)
    if not rules.can_edit_library(person, district):
        raise NotALibrarian(detail={"district": district.code})
    form = ModelForm(request.POST or None, categories=_category_choices())
    created: list[ModelRule] = []

    def call(d: dict[str, Any]) -> None:
        created.append(
            services.create_model(
                by=person,
                district=district,
                code=d["code"],
                title=d["title"],
                body=d["body"],
                group=d["group"],
                categories=list(Category.objects.filter(code__in=d["categories"])),
            )
        )

    if request.method == "POST" and submitted(form, call):
        messages.success(request, _("范本已加入本区制度范本库"))
        return redirect("unitrules:model", created[0].pk)
    return _form_page(
        request, "unitrules/model_form.html", {"district": district, "form": form, "model": None}, False
    )


@login_required
def model(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.user
    found = selectors.get_model_for(person, pk)
    return render(
        request,
        "unitrules/model.html",
        {
            "model": found,
            "district": found.district,
            "actions": rules.model_actions_for(person, found),
            "adoptions": selectors.adoptions_of(found, person),
            "writable_units": [
                m.unit
                for m in org.current_memberships_of(person).select_related("unit")
                if m.unit.district_id == found.district_id and rules.can_write(person, m.unit)
            ],
        },
    )


@login_required
def edit_model(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.user
    found = selectors.get_model_for(person, pk)
    rules.ensure_library(person, found.district, found)
    form = ModelForm(
        request.POST or None,
        categories=_category_choices(),
        editing=True,
        initial={
            "group": found.group,
            "title": found.title,
            "body": found.body,
            "categories": [c.code for c in found.categories.all()],
        },
    )

    def call(d: dict[str, Any]) -> None:
        services.edit_model(
            by=person,
            model=found,
            title=d["title"],
            body=d["body"],
            group=d["group"],
            categories=list(Category.objects.filter(code__in=d["categories"])),
        )

    if request.method == "POST" and submitted(form, call):
        messages.success(request, _("范本已修改（版本加一；已采用的单位制度不受影响）"))
        return redirect("unitrules:model", found.pk)
    return _form_page(
        request,
        "unitrules/model_form.html",
        {"district": found.district, "form": form, "model": found},
        False,
    )


@login_required
@require_POST
def withdraw_model(request: PersonRequest, pk: int) -> HttpResponse:
    person = request.user
    found = selectors.get_model_for(person, pk)
    services.withdraw_model(by=person, model=found, reason=request.POST.get("reason", ""))
    messages.success(request, _("范本已停用"))
    return redirect("unitrules:model", found.pk)


@login_required
@require_POST
def import_library(request: PersonRequest, code: str) -> HttpResponse:
    person = request.user
    district = selectors.get_district_for_library(person, code)
    if not rules.can_edit_library(person, district):
        raise NotALibrarian(detail={"district": district.code})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    result = services.import_library(by=person, district=district, data=form.cleaned_data["file"].read())
    return render(
        request,
        "unitrules/imported.html",
        {"unit": None, "district": district, "result": result},
        status=422 if result.errors else 200,
    )
