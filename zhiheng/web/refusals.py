"""The one place a page's refusal is rendered (issue #11).

Views call services and let refusals propagate: a `DomainError` raised anywhere below a page becomes
the refusal page (its rule id, the Chinese explanation and a way back), or the htmx fragment when the
request came from htmx; `NotFound` becomes the ordinary 404 page, so a page never tells an unknown
object from one the viewer may not see (ENGINEERING §4). The API does the same in `api/errors.py`.
Views no longer write `try/except DomainError` or `raise Http404` (ruff's banned-API rule keeps it so).
A blank 405 (a GET on a button's action) becomes a Chinese page with a way back.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from zhiheng.core.errors import DomainError, NotFound

from .htmx import render_refusal


class RefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:  # Django's blank 405
            return response if request.path.startswith("/api/") else not_allowed(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API answers in its own error shape (api/errors.py)
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, DomainError):
            return render_refusal(request, exception)
        return None


def not_allowed(request: HttpRequest, response: HttpResponseNotAllowed) -> HttpResponse:
    """A GET on a button's action (require_POST) is a person who followed or typed its address: tell
    them in Chinese and lead them back, instead of Django's blank 405. Status and Allow stay."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("workbench:home")
    page = render(request, "405.html", {"back": back}, status=405)
    page["Allow"] = response["Allow"]
    return page
