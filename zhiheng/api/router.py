"""The NinjaAPI at /api/v1/ without its routers: errors mapped and documented in one place, bearer auth,
JSON object bodies. `config/api.py` mounts every app's router on it and gives it the bearer
authentication (accounts), so this package imports no app."""

from collections.abc import Iterable

from ninja import Router
from ninja.security import HttpBearer

from . import errors
from .openapi import DocumentedErrorsAPI
from .parser import ObjectParser


def build_api(routers: Iterable[Router], *, auth: HttpBearer) -> DocumentedErrorsAPI:
    api = DocumentedErrorsAPI(
        title="Zhiheng 制衡 API",
        version="1",
        description=(
            "一把手分权制衡平台的公共接口。财务、人事、采购系统通过它报送事项；每个错误都注明 SPEC 规则编号。"
            "\n\nThe public REST contract of Zhiheng: every error names the SPEC rule that refused it."
        ),
        auth=auth,
        urls_namespace="api",
        parser=ObjectParser(),
    )
    errors.install(api)
    for router in routers:
        api.add_router("", router)
    return api
