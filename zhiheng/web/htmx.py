"""Small htmx helpers shared by the apps' views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhiheng.core.errors import DomainError


def render_refusal(request: HttpRequest, error: DomainError, *, status: int | None = None) -> HttpResponse:
    """A rule refusal as a page fragment (htmx) or full page: the rule id and a human explanation."""
    template = "web/refusal.html#refusal" if request.headers.get("HX-Request") else "web/refusal.html"
    return render(request, template, {"error": error}, status=status or error.status)


def refuse_invalid_form(request: HttpRequest, form: BaseForm) -> HttpResponse:
    """A form whose shape is wrong: 422 with its field errors, shown like any other refusal."""
    from django.utils.translation import gettext as _

    from zhiheng.core.errors import Invalid

    return render_refusal(
        request, Invalid("validation", _("请检查输入"), {"fields": form.errors}), status=422
    )


def act(
    request: HttpRequest, call: Callable[[], object], *, success: str, then: str, **then_kwargs: Any
) -> HttpResponse:
    """Run one service call for a page's POST: success flashes and redirects; a refusal propagates to the
    refusal page (web/refusals.py)."""
    call()
    messages.success(request, success)
    # `then_kwargs` are the URL's kwargs (Any, as reverse takes them), which leaves redirect's overloads
    # (permanent or not) ambiguous to mypy; every one of them answers an HttpResponse.
    response: HttpResponse = redirect(then, **then_kwargs)
    return response


def act_on_form(
    request: HttpRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], object],
    *,
    success: str,
    then: str,
    **then_kwargs: Any,
) -> HttpResponse:
    """A page's POST through a form: a wrong shape is 422 with the field errors; otherwise `call` gets
    the cleaned data, as in `act`."""
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    return act(request, lambda: call(form.cleaned_data), success=success, then=then, **then_kwargs)
