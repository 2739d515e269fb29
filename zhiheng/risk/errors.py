"""The refusals of the risk app, each with the SPEC rule it enforces (R-GATE-7: warnings go to the unit
inspector and the commission, who resolve them once, in writing). The API and the pages render them like
any DomainError (api/errors.py, web/refusals.py)."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotSupervisor(Refusal, Forbidden):
    default_rule = "R-GATE-7"
    default_message = "只有本单位纪检组长或区纪委管理员可以处理预警"


class AlreadyResolved(Refusal, Conflict):
    default_rule = "R-GATE-7"
    default_message = "该预警已处理"


class BadResolution(Refusal, Invalid):
    default_rule = "validation"
