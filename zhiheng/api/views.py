"""Unknown paths under /api/v1/ answer in the API's error shape, not Django's HTML 404 — for every
method (a POST to a malformed path met the CSRF check first and got its HTML page) and for any path,
newlines included."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .middleware import error_body


@csrf_exempt  # it changes nothing: a refusal whatever the method
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_body(404, {"path": request.path})
