"""The person's own declaration page (R-GATE-2): the 14 items filled in and filed, through
services.file_declaration as the API files them.

Only the person themself opens it: people who may not see the person's check-up get 404 (selectors.
get_person_for), their commission 403 (rules.ensure_can_declare, the service's own refusal). A declaration
already filed for the year, or the year before, is offered as a draft to start from; opening it is a read
of sealed data, so it happens only when the person asks for it (`?base=<id>`), through services.
read_declaration, which writes the ledger's read entry. A form error shows the page again with everything
typed kept and the error next to its field (422); refusals propagate to web.refusals.

`?add=<item>&n=<number>` from htmx answers one blank row of the item's table (the 增加一行 button); without
script the same button posts the form and the page comes back with one more row."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound

from .. import rules, selectors, services
from ..checks import CHECKS
from ..models import Declaration
from ..services.declaring import FIRST_YEAR
from .declaration_form import MAX_INDEX, ROW_FIELDS, DeclarationForm, row_form

TEMPLATE = "checkup/declare.html"


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: PersonRequest, username: str) -> HttpResponse:
    who = selectors.get_person_for(request.user, username)
    rules.ensure_can_declare(request.user, who)
    if request.method == "POST":
        return _file(request, who)
    if request.headers.get("HX-Request") and request.GET.get("add") in ROW_FIELDS:
        return _blank_row(request, who, str(request.GET["add"]), _number(request.GET.get("n"), MAX_INDEX))
    year = _year(request.GET.get("year"))
    base = start = None
    if "base" in request.GET:
        base = selectors.get_declaration_for(request.user, who, _number(request.GET["base"]))
        start = services.read_declaration(by=request.user, declaration=base)["items"]
    form = DeclarationForm(year=year, start=start)
    return _page(request, who, form, year=year, base=base)


def _file(request: PersonRequest, who: Person) -> HttpResponse:
    form = DeclarationForm(request.POST)
    year = _year(request.POST.get("year"))
    if request.POST.get("add") in ROW_FIELDS:  # 增加一行 without script: the same page, one more row
        form.add_row(str(request.POST["add"]))
        return _page(request, who, form, year=year)
    if not form.is_valid():
        return _page(request, who, form, year=year, status=422)
    filed = services.file_declaration(
        by=request.user, person=who, year=form.head.cleaned_data["year"], items=form.items()
    )
    messages.success(request, filed_message(filed))
    return redirect("checkup:person", who.username)


def filed_message(filed: Declaration) -> str:
    found = "、".join(CHECKS.get(code, code) for code in filed.check_codes)
    values = {"year": filed.year, "version": filed.version, "score": filed.risk_score, "checks": found}
    if found:
        return (
            _(
                "已提交 %(year)d 年度廉情申报（第 %(version)d 版）。风险分 %(score)d，自动核查发现：%(checks)s。"
            )
            % values
        )
    return (
        _("已提交 %(year)d 年度廉情申报（第 %(version)d 版）。风险分 %(score)d，自动核查未发现问题。")
        % values
    )


def _page(
    request: PersonRequest,
    who: Person,
    form: DeclarationForm,
    *,
    year: int,
    base: Declaration | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "who": who,
        "form": form,
        "sections": list(form.sections()),
        "base": base,
        # the drafts offered: the latest declaration of the year and of the year before (not opened)
        "this_year": selectors.latest_declaration(who, year),
        "last_year": selectors.latest_declaration(who, year - 1),
        "year": year,
    }
    return render(request, TEMPLATE, context, status=status)


def _blank_row(request: PersonRequest, who: Person, key: str, number: int) -> HttpResponse:
    context = {
        "who": who,
        "key": key,
        "row": row_form(key)(prefix=f"{key}-{number}"),
        "columns": len(ROW_FIELDS[key]),
        "next_row": number + 1,
    }
    return render(request, TEMPLATE + "#added", context)


def _number(raw: str | None, below: int = 2**31) -> int:
    """A row number or a declaration's id from the address; NotFound for anything else."""
    if not raw or not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or int(raw) >= below:
        raise NotFound()
    return int(raw)


def _year(raw: Any) -> int:
    """The year asked for, if the service would accept it; else this year."""
    this = clock.today().year
    try:
        year = int(str(raw).strip())
    except ValueError:
        return this
    return year if FIRST_YEAR <= year <= this else this
