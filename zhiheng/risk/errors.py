"""The refusals of the risk app, each with the SPEC rule it enforces (R-GATE-7: warnings go to the unit
inspector and the commission, who resolve them once, in writing). The API and the pages render them like
any DomainError (api/errors.py, web/refusals.py)."""

from __future__ import annotations

from typing import Any

from zhiheng.core.errors import Conflict, DomainError, Forbidden, Invalid


class _RiskRefusal(DomainError):
    """A refusal whose rule id is its class's `default_rule` and whose message is its default."""

    default_message = ""

    def __init__(self, detail: dict[str, Any] | None = None, message: str | None = None) -> None:
        super().__init__(self.default_rule, message or self.default_message, detail)


class NotSupervisor(_RiskRefusal, Forbidden):
    default_rule = "R-GATE-7"
    default_message = "只有本单位纪检组长或区纪委管理员可以处理预警"


class AlreadyResolved(_RiskRefusal, Conflict):
    default_rule = "R-GATE-7"
    default_message = "该预警已处理"


class BadResolution(_RiskRefusal, Invalid):
    default_rule = "validation"
