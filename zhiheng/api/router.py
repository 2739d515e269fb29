"""The NinjaAPI at /api/v1/: every app's router mounted, errors mapped and documented in one place."""

from zhiheng.accounts.api import router as accounts_router
from zhiheng.ledger.api import router as ledger_router
from zhiheng.matters.api import router as matters_router
from zhiheng.meetings.api import router as meetings_router
from zhiheng.org.api import router as org_router
from zhiheng.powers.api import router as powers_router
from zhiheng.risk.api import router as risk_router

from . import errors
from .auth import bearer
from .openapi import DocumentedErrorsAPI
from .parser import ObjectParser

api = DocumentedErrorsAPI(
    title="Zhiheng 制衡 API",
    version="1",
    description=(
        "一把手分权制衡平台的公共接口。财务、人事、采购系统通过它报送事项；每个错误都注明 SPEC 规则编号。"
        "\n\nThe public REST contract of Zhiheng: every error names the SPEC rule that refused it."
    ),
    auth=bearer,
    urls_namespace="api",
    parser=ObjectParser(),
)
errors.install(api)

api.add_router("", accounts_router)
api.add_router("", org_router)
api.add_router("", powers_router)
api.add_router("", matters_router)
api.add_router("", meetings_router)
api.add_router("", risk_router)
api.add_router("", ledger_router)
