"""REST endpoints for changes to a unit's restricted catalogue (R-DIV-2; issue 9 hole 7), beyond API.md.

GET /units/{code}/power-changes?status=   the unit's changes, pending first (whoever sees the unit)
GET /power-changes/{id}                   one change
POST /power-changes/{id}/accept {"reason"?}   the district's commission admin accepts: the power changes
POST /power-changes/{id}/reject {"reason"}    the district's commission admin rejects, with a reason

A change is opened by PUT /units/{code}/powers/{power} (api.py) or an Excel import made by the unit.
Deciding is refused with 403 R-DIV-2 to the unit (its principal included) and 404 to whoever cannot
see the unit (another district's admin).
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org

from .. import selectors, services
from ..models import PowerChange, PowerChangeStatus

router = Router(tags=["powers: restricted catalogue changes"])


class PowerStateOut(Schema):
    category: str
    is_active: bool


class PowerChangeOut(Schema):
    id: int
    unit: str
    power: str
    power_name: str
    before: PowerStateOut
    after: PowerStateOut
    status: str
    proposed_by: str
    proposed_at: str
    decided_by: str | None
    decided_at: str | None
    reason: str


class AcceptIn(Schema):
    reason: str = Field("", max_length=2000)


class PowerChangeRejectIn(Schema):
    reason: str = Field(..., max_length=2000)


def change_out(c: PowerChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "unit": c.unit.code,
        "power": c.power.code,
        "power_name": c.power.name,
        "before": c.before,
        "after": c.after,
        "status": c.status,
        "proposed_by": c.proposed_by.username,
        "proposed_at": c.proposed_at.astimezone(clock.SHANGHAI).isoformat(),
        "decided_by": c.decided_by.username if c.decided_by else None,
        "decided_at": c.decided_at.astimezone(clock.SHANGHAI).isoformat() if c.decided_at else None,
        "reason": c.reason,
    }


@router.get(
    "/units/{code}/power-changes", response=list[PowerChangeOut], summary="限制类职权目录变更（待确认在前）"
)
@paginate(Page)
def list_changes(request: AuthedRequest, code: str, status: str = "") -> list[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    if status and status not in PowerChangeStatus.values:
        raise Invalid(
            "validation", "状态无效", {"fields": {"status": [f"可选：{'、'.join(PowerChangeStatus.values)}"]}}
        )
    return [change_out(c) for c in selectors.list_power_changes(unit, status=status)]


@router.get("/power-changes/{int:pk}", response=PowerChangeOut, summary="一项职权目录变更")
def get_change(request: AuthedRequest, pk: int) -> dict[str, Any]:
    return change_out(selectors.get_power_change_for(request.auth, pk))


@router.post(
    "/power-changes/{int:pk}/accept", response=PowerChangeOut, summary="区纪委确认目录变更（R-DIV-2）"
)
def accept_change(request: AuthedRequest, pk: int, payload: AcceptIn | None = None) -> dict[str, Any]:
    change = selectors.get_power_change_for(request.auth, pk)
    decided = services.accept_power_change(
        by=request.auth, change=change, reason=payload.reason if payload else ""
    )
    return change_out(selectors.get_power_change_for(request.auth, decided.pk))


@router.post(
    "/power-changes/{int:pk}/reject", response=PowerChangeOut, summary="区纪委驳回目录变更（R-DIV-2）"
)
def reject_change(request: AuthedRequest, pk: int, payload: PowerChangeRejectIn) -> dict[str, Any]:
    change = selectors.get_power_change_for(request.auth, pk)
    decided = services.reject_power_change(by=request.auth, change=change, reason=payload.reason)
    return change_out(selectors.get_power_change_for(request.auth, decided.pk))
