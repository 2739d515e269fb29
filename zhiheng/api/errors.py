"""One place maps every failure to API.md's shape: {"error": {"rule", "message", "detail"}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from zhiheng.core.errors import DomainError
from zhiheng.core.money import MoneyError

log = logging.getLogger(__name__)


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, rule: str, message: str, detail: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"rule": rule, "message": message, "detail": detail or {}}}, status=status
    )


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "payload", "query", "path")]
        fields.setdefault(".".join(loc) or "body", []).append(str(err.get("msg", "无效")))
    return {"fields": fields}


# Failures that carry nothing worth showing: each always gets the same answer.
FIXED_ANSWERS: list[tuple[type[Exception], int, str, str]] = [
    (RequestDataTooBig, 413, "validation", "请求体过大"),
    (AuthenticationError, 401, "auth", "未登录或令牌无效"),
    (AuthorizationError, 403, "auth", "无权执行此操作"),
    (PermissionDenied, 403, "auth", "无权执行此操作"),
    (Http404, 404, "not-found", "对象不存在或您无权查看"),
    (ObjectDoesNotExist, 404, "not-found", "对象不存在或您无权查看"),
]


def _answer(
    api: NinjaAPI, status: int, rule: str, message: str
) -> Callable[[HttpRequest, Exception | type[Exception]], HttpResponse]:
    # ninja types a handler's exception as "an exception or its class" (ninja.main.Exc)
    def handler(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        return error_response(api, request, status, rule, message, {})

    return handler


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = error_response(api, request, exc.status, exc.rule, exc.message, exc.detail)
        for name, value in getattr(exc, "headers", {}).items():  # e.g. Retry-After on a 429
            response[name] = value
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, 422, "validation", "请求内容无效", _field_errors(exc.errors))

    @api.exception_handler(MoneyError)
    def money_error(request: HttpRequest, exc: MoneyError) -> HttpResponse:
        return error_response(api, request, 422, "validation", str(exc), {"fields": {"amount": [str(exc)]}})

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        detail: dict[str, Any] = (
            {"fields": exc.message_dict} if hasattr(exc, "error_dict") else {"messages": exc.messages}
        )
        return error_response(api, request, 422, "validation", "请求内容无效", detail)

    @api.exception_handler(MultiPartParserError)
    def multipart_error(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return error_response(api, request, 422, "validation", "上传内容格式无效", {"body": str(exc)[:200]})

    for exc_class, status, rule, message in FIXED_ANSWERS:
        api.add_exception_handler(exc_class, _answer(api, status, rule, message))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        rule = {401: "auth", 403: "auth", 404: "not-found"}.get(exc.status_code, "validation")
        status = (
            422 if exc.status_code == 400 else exc.status_code
        )  # ninja's "cannot parse body" is bad input
        return error_response(api, request, status, rule, str(exc) or "请求无效", {})

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "internal", "服务器内部错误，已记录", {})
