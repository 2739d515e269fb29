"""REST endpoints of the risk app (API.md "Warnings (RF)"). Beyond API.md: GET /warnings/{id},
POST /warnings/{id}/resolve, and `?status=`."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page, Rendered
from zhiheng.core import clock

from . import selectors, services
from .models import Warning

router = Router(tags=["risk"])


class WarningOut(Schema):
    id: int
    rule: str
    level: str
    unit: str
    subject: str
    explanation: str
    records: list[Any]
    created: str
    status: str
    owner: str | None
    resolution_note: str


class ResolveIn(Schema):
    """API.md: {"resolution": "explained|rectified|case_opened", "reason"}."""

    resolution: Literal["explained", "rectified", "case_opened"]
    reason: str = Field(..., max_length=4000)


def warning_out(w: Warning) -> dict[str, Any]:
    return {
        "id": w.pk,
        "rule": w.rule,
        "level": w.level,
        "unit": w.unit.code,
        "subject": w.subject,
        "explanation": w.explanation,
        "records": w.records,
        "created": w.created.astimezone(clock.SHANGHAI).isoformat(),
        "status": w.status,
        "owner": w.owner.username if w.owner is not None else None,
        "resolution_note": w.resolution_note,
    }


@router.get("/warnings", response=list[WarningOut], summary="风险预警（区纪委管理员、单位纪检组长可见）")
@paginate(Page)
def list_warnings(
    request: AuthedRequest, unit: str | None = None, rule: str | None = None, status: str | None = None
) -> Rendered[Warning]:
    return Rendered(
        selectors.list_warnings_for(request.auth, unit=unit, rule=rule, status=status), warning_out
    )


@router.get("/warnings/{warning_id}", response=WarningOut, summary="预警详情")
def get_warning(request: AuthedRequest, warning_id: int) -> dict[str, Any]:
    return warning_out(selectors.get_warning_for(request.auth, warning_id))


@router.post("/warnings/{warning_id}/resolve", response=WarningOut, summary="处理预警")
def resolve(request: AuthedRequest, warning_id: int, payload: ResolveIn) -> dict[str, Any]:
    warning = selectors.get_warning_for(request.auth, warning_id)
    return warning_out(
        services.resolve_warning(
            warning=warning, by=request.auth, status=payload.resolution, note=payload.reason
        )
    )
