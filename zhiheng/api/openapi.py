"""The OpenAPI document states every operation's error answers, in one place (issue 10 finding 6).

Django-ninja documents only what an operation returns on success. Every failure under /api/v1/ is mapped
by errors.py (and middleware.py, for what happens before an operation runs) to API.md's shape
{"error": {"rule", "message", "detail"}}; this module says so in the document: an `Error` component
schema, and on every operation the statuses it can answer with it —

    reads   (GET)                  401 (when signed in), 403, 404, 422 (when it takes parameters)
    writes  (POST, PUT, DELETE)    401 (when signed in), 403, 404, 409, 413, 422, 429

— plus the few answers peculiar to one operation (PECULIAR). An operation that declares a status itself
keeps its own description. 405 (a method an endpoint does not take) happens outside any operation and
is not listed. Field constraints (maxLength, minimum, pattern …) come from the schemas themselves.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar, cast

from django.utils import translation
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.responses import NinjaJSONEncoder

ERROR_REF = "#/components/schemas/Error"

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "description": "每个错误的统一格式 · The one shape of every error answer (API.md).",
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "rule": {
                    "type": "string",
                    "minLength": 1,
                    "description": "拒绝请求的 SPEC 规则编号（如 R-MAT-2），或 validation / not-found / auth",
                },
                "message": {"type": "string", "description": "中文说明 · human text, zh-Hans"},
                "detail": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "细节，如 fields（字段错误）、violations、retry_after",
                },
            },
            "required": ["rule", "message", "detail"],
            "additionalProperties": False,
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}

DESCRIPTIONS = {
    401: "未登录或令牌无效 · no or invalid credentials",
    403: "规则不允许此人执行 · the rule forbids this actor (error.rule names it)",
    404: "对象不存在或您无权查看 · unknown, or not visible to this actor",
    409: "与当前状态冲突或顺序不对 · out of order, or conflicts with the current state",
    413: "请求体过大 · the body is over the size limit",
    422: "输入无效（字段错误见 detail.fields）或规则拒绝此输入 · invalid input",
    429: "请求过于频繁 · too many attempts; Retry-After says when to try again",
    503: "服务未配置此功能 · this server is not configured for it",
}
READS = (401, 403, 404, 422)
WRITES = (401, 403, 404, 409, 413, 422, 429)
# Answers one public operation gives that the rules above do not derive.
PECULIAR: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/auth/token"): (401,),  # wrong username or password
    ("post", "/api/v1/ledger/witness"): (503,),  # this server keeps no witness log
}
WRITE_METHODS = {"post", "put", "patch", "delete"}

_Document = TypeVar("_Document", bound=dict[str, Any])


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    statuses = set(WRITES if method in WRITE_METHODS else READS)
    if not operation.get("security"):
        statuses.discard(401)
    if method not in WRITE_METHODS and not operation.get("parameters"):
        statuses.discard(422)
    statuses.update(PECULIAR.get((method, path), ()))
    return sorted(statuses)


def error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"description": "几秒后再试 · seconds to wait", "schema": {"type": "integer"}}
        }
    return response


def document_errors(schema: _Document) -> _Document:
    """Add the Error component and every operation's error responses to a generated document."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in WRITE_METHODS | {"get"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation):
                responses.setdefault(status, error_response(status))
    return schema


class DocumentedErrorsAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists every operation's error answers in the error shape.

    The document is built once per process, prefix and language: it depends only on the code, and building
    it walks every schema through pydantic (over a second for 170 operations), which ninja would redo on each
    request for /api/v1/openapi.json. It is kept as JSON text, so each caller gets a document of its own.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), translation.get_language())
        built: dict[Any, str] = self.__dict__.setdefault("_documents", {})
        if key not in built:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            built[key] = json.dumps(document_errors(schema), cls=NinjaJSONEncoder)
        return cast(OpenAPISchema, json.loads(built[key]))
