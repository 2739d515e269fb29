"""The refusals of the risk app, each with the SPEC rule it enforces (R-GATE-7: warnings go to the unit
inspector and the commission, who resolve them once, in writing). The API and the pages render them like
any DomainError (api/errors.py, web/refusals.py)."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotSupervisor(
    Refusal, Forbidden, rule="R-GATE-7", message="只有本单位纪检组长或区纪委管理员可以处理预警"
):
    """R-GATE-7: only the unit inspector or the district's commission admins see and resolve a warning."""


class AlreadyResolved(Refusal, Conflict, rule="R-GATE-7", message="该预警已处理"):
    """R-GATE-7: a warning is resolved once, in writing."""


class BadResolution(Refusal, Invalid, rule="validation"):
    """A resolution names one of the outcomes and explains it in writing."""


class Escalated(Refusal, Forbidden, rule="R-GATE-7", message="该预警逾期未处理，已转区纪委处理"):
    """R-GATE-7: a warning left open past the unit's limit is the commission's to resolve."""
