"""Every answer under /api/v1/ is in the API's error shape (issue 10 finding 6).

Ninja's handlers map what happens inside an operation; some refusals happen before any operation runs:
Django's 405 (plain text), the CSRF view (HTML), a body over DATA_UPLOAD_MAX_MEMORY_SIZE (400 HTML) or
a multipart body without a boundary. This middleware rewrites any error answer under /api/v1/ that is
not already JSON into {"error": {"rule", "message", "detail"}}, keeping its status (a too-large body
becomes 413) and headers such as Allow and Retry-After.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/v1/"

MESSAGES = {
    400: ("validation", "请求无效"),
    401: ("auth", "未登录或令牌无效"),
    403: ("auth", "无权执行此操作"),
    404: ("not-found", "接口不存在"),
    405: ("validation", "不支持此请求方法"),
    413: ("validation", "请求体过大"),
    415: ("validation", "不支持的内容类型"),
    429: ("auth", "请求过于频繁，请稍后再试"),
}
KEPT_HEADERS = ("Allow", "Retry-After")


def error_body(status: int, detail: dict[str, Any] | None = None) -> HttpResponse:
    rule, message = MESSAGES.get(status, ("validation" if status < 500 else "internal", "请求无效"))
    body = {"error": {"rule": rule, "message": message, "detail": detail or {}}}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _too_big(request):
            return error_body(413, {"limit": _limit()})
        if _has_nul(request):
            # As in JSON bodies (parser.py): no query value or path carries NUL — PostgreSQL cannot
            # compare text with one, and no search or code needs it.
            return error_body(422, {"query": "NUL"})
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        shaped = error_body(response.status_code, {"path": request.path})
        for header in KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


def _limit() -> int | None:
    from django.conf import settings

    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _too_big(request: HttpRequest) -> bool:
    """A JSON body over the limit, decided from Content-Length before anything reads it."""
    limit = _limit()
    # content_type is None only on a bare HttpRequest; every WSGI/ASGI request sets it ("" when absent).
    if limit is None or (request.content_type or "").startswith("multipart/"):
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


__all__ = ["ApiErrorShapeMiddleware", "RequestDataTooBig", "error_body"]
