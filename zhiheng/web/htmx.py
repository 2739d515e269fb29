"""Small htmx helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhiheng.core.errors import DomainError


def render_refusal(request: HttpRequest, error: DomainError, *, status: int | None = None) -> HttpResponse:
    """A rule refusal as a page fragment (htmx) or full page: the rule id and a human explanation."""
    template = "web/refusal.html#refusal" if request.headers.get("HX-Request") else "web/refusal.html"
    return render(request, template, {"error": error}, status=status or error.status)
