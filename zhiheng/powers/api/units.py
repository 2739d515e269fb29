"""REST endpoints of the powers app (API.md "Powers and division of labour (R-DIV)").

Beyond API.md: `?on=` on GET /division, GET /division/versions, GET /division/{version},
GET /powers/{power} (with flowchart and deputy in charge), GET /powers/{power}/in-charge?on=,
GET /units/{code}/people/{username}/powers?on= (the reverse authority query),
GET /districts/{code}/filing-board and PUT /units/{code}/powers/{power} (write one power; changes of
the restricted catalogue made by the unit wait for the commission: api/catalogue.py).
"""

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.selectors import get_person
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.errors import Forbidden, Invalid, NotFound
from zhiheng.core.input_types import IsoDate
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District

from .. import rules, selectors, services
from ..excel import CODE_RE
from ..models import DivisionPlan, Power

router = Router(tags=["powers"])


class FlowStepOut(Schema):
    step: str
    role: str = ""
    output: str = ""


class PowerOut(Schema):
    code: str
    name: str
    category: str
    category_name: str
    restricted: bool
    legal_basis: str


class PowerDetailOut(PowerOut):
    flowchart: list[FlowStepOut]
    deputy: str | None


class PowerIn(Schema):
    name: str = Field(..., min_length=1, max_length=128)
    category: str = Field(..., min_length=1, max_length=32)
    legal_basis: str = Field("", max_length=4000)
    flowchart: list[FlowStepOut] = Field(default_factory=list, max_length=50)
    is_active: bool = True


class PowerSavedOut(Schema):
    power: PowerDetailOut
    pending_change: int | None


class AssignmentIn(Schema):
    power: str = Field(..., min_length=1, max_length=48)
    deputy: str = Field(..., min_length=1, max_length=150)


class AssignmentOut(Schema):
    power: str
    deputy: str


class PlanIn(Schema):
    assignments: list[AssignmentIn] = Field(..., max_length=500)
    in_force_from: IsoDate | None = None
    note: str = Field("", max_length=2000)


class FileIn(Schema):
    in_force_from: IsoDate | None = None


class PlanOut(Schema):
    version: int
    status: str
    in_force_from: dt.date | None
    assignments: list[AssignmentOut]
    note: str
    drafted_by: str
    drafted_at: str
    filed_by: str | None
    filed_at: str | None
    late: bool


class InChargeOut(Schema):
    unit: str
    power: str
    on: dt.date
    restricted: bool
    deputy: str | None
    plan_version: int | None


class HeldOut(Schema):
    unit: str
    person: str
    on: dt.date
    powers: list[str]


class BoardRowOut(Schema):
    unit: str
    unit_name: str
    status: str
    version: int | None
    filed_at: str | None


class BoardOut(Schema):
    district: str
    deadline: str | None
    opens_on: dt.date | None
    due: dt.date | None
    units: list[BoardRowOut]


def _iso(moment: dt.datetime | None) -> str | None:
    """API.md: times in ISO 8601 with the Asia/Shanghai offset."""
    return moment.astimezone(clock.SHANGHAI).isoformat() if moment else None


def _power_out(power: Power, restricted: bool) -> dict[str, Any]:
    return {
        "code": power.code,
        "name": power.name,
        "category": power.category.code,
        "category_name": power.category.name,
        "restricted": restricted,
        "legal_basis": power.legal_basis,
    }


def plan_out(plan: DivisionPlan) -> dict[str, Any]:
    return {
        "version": plan.version,
        "status": plan.status,
        "in_force_from": plan.in_force_from,
        "assignments": [
            {"power": a.power.code, "deputy": a.deputy.username} for a in selectors.plan_assignments(plan)
        ],
        "note": plan.note,
        "drafted_by": plan.drafted_by.username,
        "drafted_at": _iso(plan.drafted_at),
        "filed_by": plan.filed_by.username if plan.filed_by else None,
        "filed_at": _iso(plan.filed_at),
        "late": plan.filed_late,
    }


@router.get("/units/{code}/powers", response=list[PowerOut], summary="单位职权目录（R-DIV-1/2）")
@paginate(Page)
def list_powers(request: AuthedRequest, code: str, on: dt.date | None = None) -> list[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    return [_power_out(p, r) for p, r in selectors.powers_with_restriction(unit, on)]


@router.get("/units/{code}/powers/{power}", response=PowerDetailOut, summary="职权详情与运行流程")
def get_power(request: AuthedRequest, code: str, power: str, on: dt.date | None = None) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    p = selectors.get_power(unit, power)
    deputy = selectors.deputy_in_charge(unit, p, on)
    return {
        **_power_out(p, selectors.is_restricted(p, on)),
        "flowchart": p.flowchart,
        "deputy": deputy.username if deputy else None,
    }


@router.put("/units/{code}/powers/{power}", response=PowerSavedOut, summary="登记或修改职权（R-DIV-1/2）")
def put_power(request: AuthedRequest, code: str, power: str, payload: PowerIn) -> dict[str, Any]:
    """The unit's principal or the district's commission admin writes one power. A change of the
    restricted catalogue (category from/to a restricted one, deactivating a restricted power) made by
    the unit is left pending for the commission: `pending_change` names it and `power` is unchanged in
    those respects (see /power-changes)."""
    unit = org.get_unit_for(request.auth, code)
    if not CODE_RE.match(power):
        raise Invalid(
            "validation", "职权代码应为小写字母、数字、短横线或下划线", {"fields": {"power": ["格式无效"]}}
        )
    saved = services.save_power_ex(by=request.auth, unit=unit, code=power, **payload.dict())
    p = selectors.get_power(unit, power)
    deputy = selectors.deputy_in_charge(unit, p)
    return {
        "power": {
            **_power_out(p, selectors.is_restricted(p)),
            "flowchart": p.flowchart,
            "deputy": deputy.username if deputy else None,
        },
        "pending_change": saved.pending[0].pk if saved.pending else None,
    }


@router.get(
    "/units/{code}/powers/{power}/in-charge", response=InChargeOut, summary="某日谁分管该职权（R-DIV-6）"
)
def in_charge(request: AuthedRequest, code: str, power: str, on: dt.date | None = None) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    p = selectors.get_power(unit, power)
    plan = selectors.plan_in_force(unit, on)
    deputy = selectors.deputy_in_charge(unit, p, on)
    return {
        "unit": unit.code,
        "power": p.code,
        "on": on or clock.today(),
        "restricted": selectors.is_restricted(p, on),
        "deputy": deputy.username if deputy else None,
        "plan_version": plan.version if plan else None,
    }


@router.get("/units/{code}/people/{username}/powers", response=HeldOut, summary="某人某日分管的职权")
def held_by(request: AuthedRequest, code: str, username: str, on: dt.date | None = None) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    person = get_person(username)
    codes = [p.code for p in selectors.powers_held_by(person, unit, on)]
    return {"unit": unit.code, "person": username, "on": on or clock.today(), "powers": codes}


@router.get("/units/{code}/division", response=PlanOut, summary="现行分工方案（可用 ?on= 查询历史日期）")
def division_in_force(request: AuthedRequest, code: str, on: dt.date | None = None) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    plan = selectors.plan_in_force(unit, on)
    if plan is None:
        raise NotFound("该日期没有生效的分工方案", {"unit": code})
    return plan_out(plan)


@router.get("/units/{code}/division/versions", response=list[PlanOut], summary="分工方案全部版本")
@paginate(Page)
def division_versions(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    plans = selectors.list_plans(unit, with_drafts=rules.can_view_drafts(request.auth, unit))
    return [plan_out(p) for p in plans]


@router.get("/units/{code}/division/{int:version}", response=PlanOut, summary="分工方案某一版本")
def division_version(request: AuthedRequest, code: str, version: int) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    plan = selectors.get_plan(unit, version, with_drafts=rules.can_view_drafts(request.auth, unit))
    return plan_out(plan)


@router.post("/units/{code}/division", response={201: PlanOut}, summary="起草分工方案（R-DIV-4/5）")
def draft_division(request: AuthedRequest, code: str, payload: PlanIn) -> Status[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    plan = services.draft_plan(
        by=request.auth,
        unit=unit,
        assignments=[(a.power, a.deputy) for a in payload.assignments],
        in_force_from=payload.in_force_from,
        note=payload.note,
    )
    return Status(201, plan_out(plan))


@router.post("/units/{code}/division/{int:version}/file", response=PlanOut, summary="报送分工方案（R-DIV-5）")
def file_division(
    request: AuthedRequest, code: str, version: int, payload: FileIn | None = None
) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    can_see_drafts = rules.can_view_drafts(request.auth, unit)
    plan = selectors.get_plan(unit, version, with_drafts=can_see_drafts)
    plan = services.file_plan(
        by=request.auth, plan=plan, in_force_from=payload.in_force_from if payload else None
    )
    return plan_out(plan)


@router.get("/districts/{code}/filing-board", response=BoardOut, summary="分工方案报送情况（R-DIV-5）")
def filing_board(request: AuthedRequest, code: str) -> dict[str, Any]:
    district = District.objects.filter(code=code).first()
    if district is None or not org_rules.is_commission_admin(request.auth, district):
        if district is not None and org.list_units_for(request.auth).filter(district=district).exists():
            raise Forbidden("R-DIV-5", "报送情况由区纪委管理员查看", {"district": code})
        raise NotFound()
    deadline = selectors.open_deadline(district)
    rows = selectors.filing_board(district, deadline)
    return {
        "district": district.code,
        "deadline": deadline.label if deadline else None,
        "opens_on": deadline.opens_on if deadline else None,
        "due": deadline.due if deadline else None,
        "units": [
            {
                "unit": r["unit"].code,
                "unit_name": r["unit"].name,
                "status": r["status"],
                "version": r["plan"].version if r["plan"] else None,
                "filed_at": _iso(r["plan"].filed_at) if r["plan"] else None,
            }
            for r in rows
        ],
    }
