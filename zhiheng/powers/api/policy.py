"""REST endpoints for the district's configuration (R-DIV-2..5, R-ORG-3), beyond API.md.

Every write is a service call, hence a recorded, dated ledger act. Reads and writes of a district's
configuration are its commission admins' (403 with the rule configured for members of its units;
404 for anyone who cannot see the district). A unit's policy is readable by anyone who sees the unit.

GET/POST /districts/{code}/policy-templates · POST /districts/{code}/policy-templates/{template}/versions
GET/POST /units/{code}/policy · GET /units/{code}/policy/history
GET/POST /districts/{code}/incompatible-pairs · POST /districts/{code}/incompatible-pairs/{id}/retire
GET/POST /districts/{code}/filing-deadlines · GET/POST /districts/{code}/categories
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.core.input_types import IsoDate, Name
from zhiheng.org import selectors as org
from zhiheng.org.models import District

from .. import selectors, services
from ..models import Category, FilingDeadline, IncompatiblePair, PolicyTemplate, UnitPolicy
from ..services import policy

router = Router(tags=["powers: district configuration"])

CODE = r"^[a-z0-9][a-z0-9_-]*$"


class TemplateIn(Schema):
    code: str = Field(..., min_length=2, max_length=32, pattern=CODE)
    name: str = Field(..., min_length=1, max_length=64)
    restricted: list[Name] = Field(..., min_length=1, max_length=32)
    x_choice: bool = False
    effective_from: IsoDate
    description: str = Field("", max_length=2000)


class TemplateVersionIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=64)
    restricted: list[Name] = Field(..., min_length=1, max_length=32)
    x_choice: bool = False
    effective_from: IsoDate
    description: str | None = Field(None, max_length=2000)


class TemplateOut(Schema):
    code: str
    version: int
    name: str
    description: str
    district: str | None
    restricted: list[str]
    x_choice: bool
    effective_from: dt.date


class PolicyIn(Schema):
    template: str = Field(..., min_length=1, max_length=32)
    version: int | None = Field(None, ge=1, le=2**31 - 1)
    x_categories: list[Name] = Field(default_factory=list, max_length=32)
    in_force_from: IsoDate | None = None


class PolicyOut(Schema):
    unit: str
    template: str
    version: int
    template_name: str
    x_categories: list[str]
    restricted_categories: list[str]
    in_force_from: dt.date
    recorded_by: str | None


class PairIn(Schema):
    first: str = Field(..., min_length=1, max_length=32)
    second: str = Field(..., min_length=1, max_length=32)
    on: IsoDate | None = None


class RetireIn(Schema):
    on: IsoDate | None = None


class PairOut(Schema):
    id: int
    first: str
    second: str
    added_on: dt.date | None
    retired_on: dt.date | None
    active: bool


class DeadlineIn(Schema):
    label: str = Field(..., min_length=1, max_length=64)
    opens_on: IsoDate
    due: IsoDate


class DeadlineOut(Schema):
    id: int
    label: str
    opens_on: dt.date
    due: dt.date


class CategoryIn(Schema):
    code: str = Field(..., min_length=2, max_length=32, pattern=CODE)
    name: str = Field(..., min_length=1, max_length=32)
    sort: int = Field(100, ge=0, le=32767)


class CategoryOut(Schema):
    code: str
    name: str
    is_common: bool
    district: str | None


def template_out(t: PolicyTemplate) -> dict[str, Any]:
    return {
        "code": t.code,
        "version": t.version,
        "name": t.name,
        "description": t.description,
        "district": t.district.code if t.district is not None else None,
        "restricted": sorted(c.code for c in t.restricted.all()),
        "x_choice": t.x_choice,
        "effective_from": t.effective_from,
    }


def policy_out(p: UnitPolicy) -> dict[str, Any]:
    x = sorted(c.code for c in p.x_categories.all()) if p.template.x_choice else []
    restricted = {c.code for c in p.template.restricted.all()} | set(x)
    return {
        "unit": p.unit.code,
        "template": p.template.code,
        "version": p.template.version,
        "template_name": p.template.name,
        "x_categories": x,
        "restricted_categories": sorted(restricted),
        "in_force_from": p.in_force_from,
        "recorded_by": p.recorded_by.username if p.recorded_by is not None else None,
    }


def pair_out(p: IncompatiblePair, day: dt.date | None = None) -> dict[str, Any]:
    day = day or clock.today()
    return {
        "id": p.pk,
        "first": p.first.code,
        "second": p.second.code,
        "added_on": p.added_on,
        "retired_on": p.retired_on,
        "active": (p.added_on is None or p.added_on <= day) and (p.retired_on is None or p.retired_on > day),
    }


def deadline_out(d: FilingDeadline) -> dict[str, Any]:
    return {"id": d.pk, "label": d.label, "opens_on": d.opens_on, "due": d.due}


def category_out(c: Category) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "is_common": c.is_common,
        "district": c.district.code if c.district is not None else None,
    }


def _admin_district(request: AuthedRequest, code: str, rule: str) -> District:
    """The district, if the caller may configure it: 404 if they cannot see it, 403 (rule) otherwise."""
    district = selectors.get_district_for(request.auth, code)
    policy.ensure_policy_admin(request.auth, district, rule)
    return district


# --- templates (R-DIV-3) ---


@router.get(
    "/districts/{code}/policy-templates", response=list[TemplateOut], summary="政策模板及各版本（R-DIV-3）"
)
@paginate(Page)
def list_templates(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-3")
    return [template_out(t) for t in selectors.list_templates(district).select_related("district")]


@router.post("/districts/{code}/policy-templates", response={201: TemplateOut}, summary="本区新建政策模板")
def create_template(request: AuthedRequest, code: str, payload: TemplateIn) -> Status[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-3")
    template = services.create_template(by=request.auth, district=district, **payload.dict())
    return Status(201, template_out(template))


@router.post(
    "/districts/{code}/policy-templates/{template}/versions",
    response={201: TemplateOut},
    summary="本区政策模板新版本",
)
def version_template(
    request: AuthedRequest, code: str, template: str, payload: TemplateVersionIn
) -> Status[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-3")
    created = services.revise_template(
        by=request.auth, district=district, template=template, **payload.dict()
    )
    return Status(201, template_out(created))


# --- a unit's policy (R-ORG-3) ---


@router.get("/units/{code}/policy", response=PolicyOut, summary="单位现行政策模板与 X 项（R-ORG-3）")
def unit_policy(request: AuthedRequest, code: str, on: dt.date | None = None) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    current = selectors.policy_on(unit, on)
    if current is None:
        raise NotFound("该日期没有生效的单位政策", {"unit": code})
    return policy_out(current)


@router.get("/units/{code}/policy/history", response=list[PolicyOut], summary="单位政策变更记录")
@paginate(Page)
def unit_policy_history(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    return [policy_out(p) for p in selectors.policy_history(unit).prefetch_related("template__restricted")]


@router.post("/units/{code}/policy", response={201: PolicyOut}, summary="设定单位政策（记录在案、注明日期）")
def set_unit_policy(request: AuthedRequest, code: str, payload: PolicyIn) -> Status[dict[str, Any]]:
    unit = org.get_unit_for(request.auth, code)
    policy.ensure_policy_admin(request.auth, unit.district)  # 403 before revealing templates
    template = selectors.get_template_for(unit.district, payload.template, payload.version)
    created = services.set_unit_policy(
        by=request.auth,
        unit=unit,
        template=template,
        x_categories=payload.x_categories,
        in_force_from=payload.in_force_from or clock.today(),
    )
    return Status(201, policy_out(created))


# --- incompatible pairs (R-DIV-4) ---


@router.get(
    "/districts/{code}/incompatible-pairs", response=list[PairOut], summary="不相容职权组合（含已取消）"
)
@paginate(Page)
def list_pairs(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-4")
    return [pair_out(p) for p in selectors.pair_history(district)]


@router.post("/districts/{code}/incompatible-pairs", response={201: PairOut}, summary="设定不相容职权组合")
def add_pair(request: AuthedRequest, code: str, payload: PairIn) -> Status[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-4")
    pair = services.add_incompatible_pair(
        by=request.auth, district=district, first=payload.first, second=payload.second, on=payload.on
    )
    return Status(201, pair_out(pair))


@router.post(
    "/districts/{code}/incompatible-pairs/{int:pair_id}/retire",
    response=PairOut,
    summary="取消不相容组合（留痕）",
)
def retire_pair(
    request: AuthedRequest, code: str, pair_id: int, payload: RetireIn | None = None
) -> dict[str, Any]:
    district = _admin_district(request, code, "R-DIV-4")
    pair = selectors.get_pair(district, pair_id)
    pair = services.retire_incompatible_pair(by=request.auth, pair=pair, on=payload.on if payload else None)
    return pair_out(pair)


# --- filing rounds (R-DIV-5) ---


@router.get("/districts/{code}/filing-deadlines", response=list[DeadlineOut], summary="分工方案报送期限")
@paginate(Page)
def list_deadlines(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-5")
    return [deadline_out(d) for d in selectors.list_deadlines(district)]


@router.post("/districts/{code}/filing-deadlines", response={201: DeadlineOut}, summary="设定报送期限")
def add_deadline(request: AuthedRequest, code: str, payload: DeadlineIn) -> Status[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-5")
    deadline = services.set_deadline(by=request.auth, district=district, **payload.dict())
    return Status(201, deadline_out(deadline))


# --- categories (R-DIV-2) ---


@router.get(
    "/districts/{code}/categories", response=list[CategoryOut], summary="职权类别（全市通用及本区增设）"
)
@paginate(Page)
def list_categories(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-2")
    return [category_out(c) for c in selectors.list_categories(district).select_related("district")]


@router.post("/districts/{code}/categories", response={201: CategoryOut}, summary="本区增设职权类别")
def add_category(request: AuthedRequest, code: str, payload: CategoryIn) -> Status[dict[str, Any]]:
    district = _admin_district(request, code, "R-DIV-2")
    created = services.add_category(by=request.auth, district=district, **payload.dict())
    return Status(201, category_out(created))
