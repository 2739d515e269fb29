"""REST endpoints of the pilot programmes (R-PIL-1). API.md fixes the list, `GET /districts/{code}/pilots` →
items {"id", "name", "units": [code], "phases": [{"name", "from"}]} — exactly those fields; one programme's
page (`GET /pilots/{id}`) adds its stage, visits, rollout and actions. The writes are the commission's:
create, add or remove a unit, set a phase, record a visit, roll out. Refusals cite R-PIL-1. Interfaces only:
parse, fetch through the selectors (404 alike), call a service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Literal, TypeVar

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.core.input_types import IsoDate, Name
from zhiheng.org.models import Unit
from zhiheng.powers import selectors as powers

from . import rules, selectors, services, states
from .models import Programme, Visit

router = Router(tags=["pilots"])

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
PhaseNameCode = Literal["动员教育", "制定制度", "正式实施"]


class PilotPhaseOut(Schema):
    name: PhaseNameCode = Field(..., description="阶段：动员教育、制定制度、正式实施")
    from_: dt.date = Field(..., alias="from", description="起始日期")


class PilotOut(Schema):
    """API.md's item, exactly."""

    id: int
    name: str
    units: list[str] = Field(..., description="试点单位代码")
    phases: list[PilotPhaseOut]


class PilotVisitOut(Schema):
    id: int
    on: dt.date = Field(..., description="督查日期")
    units: list[str]
    visitors: str = Field(..., description="督查人员")
    findings: str = Field(..., description="督查记录")


class ProgrammeOut(PilotOut):
    district: str
    stage: Literal["planned", "mobilisation", "rulemaking", "implementation", "rolled_out"]
    rolled_out_on: dt.date | None = Field(None, description="全面推开日期")
    rollout_units: list[str] = Field(..., description="推开时纳入的其余单位")
    visits: list[PilotVisitOut] = Field(
        ..., description="督查（区纪委看全部；单位一把手、纪检组长看本单位的）"
    )
    actions: dict[str, bool]


def _phases(programme: Programme) -> list[dict[str, Any]]:
    return [{"name": p.name, "from": p.start} for p in programme.phases.all()]


def pilot_out(programme: Programme) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "name": programme.name,
        "units": [m.unit.code for m in programme.members.all()],
        "phases": _phases(programme),
    }


def visit_out(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "on": visit.on,
        "units": sorted(u.code for u in visit.units.all()),
        "visitors": visit.visitors,
        "findings": visit.findings,
    }


def programme_out(programme: Programme, viewer: Person) -> dict[str, Any]:
    programme = selectors.get_programme_for(viewer, programme.pk)  # fresh, with its parts
    return {
        **pilot_out(programme),
        "district": programme.district.code,
        "stage": states.stage(programme.phase_dates(), programme.rolled_out_on, clock.today()),
        "rolled_out_on": programme.rolled_out_on,
        "rollout_units": [r.unit.code for r in programme.rollout_units.all()],
        "visits": [visit_out(v) for v in selectors.visits_for(viewer, programme)],
        "actions": rules.actions_for(viewer, programme),
    }


def _units(programme_district: int, codes: Iterable[str], field: str = "units") -> list[Unit]:
    """The district's units named by code, in the order given; 422 naming the unknown ones."""
    codes = list(dict.fromkeys(codes))
    found = {u.code: u for u in Unit.objects.filter(district_id=programme_district, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise Invalid(
            "validation", "单位不存在", {"fields": {field: [f"本区没有单位：{'、'.join(unknown)}"]}}
        )
    return [found[c] for c in codes]


def _write(path: str, summary: str, *, created: bool = False) -> Callable[[Endpoint], Endpoint]:
    """A write on one programme: it answers the programme as it now stands (201 when it adds a record)."""
    return router.post(
        path, response={201: ProgrammeOut} if created else ProgrammeOut, by_alias=True, summary=summary
    )


def _apply(
    request: AuthedRequest,
    programme_id: int,
    call: Callable[[Programme], object],
    ensure: Callable[[Person, Programme], None] | None = None,
) -> dict[str, Any]:
    """The programme the caller may see (404 alike), the rule asked before the input is read, the service."""
    programme = selectors.get_programme_for(request.auth, programme_id)
    if ensure is not None:
        ensure(request.auth, programme)
    call(programme)
    return programme_out(programme, request.auth)


@router.get(
    "/districts/{code}/pilots",
    response=list[PilotOut],
    by_alias=True,
    summary="本区试点（R-PIL-1；区纪委看全部，单位一把手、纪检组长看本单位参加的）",
)
@paginate(Page)
def list_pilots(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    district = powers.get_district_for(request.auth, code)
    return [pilot_out(p) for p in selectors.list_programmes_for(request.auth, district)]


class PilotCreateIn(Schema):
    name: str = Field(..., max_length=120, description="试点名称")
    units: list[Name] = Field([], max_length=500, description="试点单位代码")


@router.post(
    "/districts/{code}/pilots",
    response={201: ProgrammeOut},
    by_alias=True,
    summary="设立试点（区纪委管理员，R-PIL-1）",
)
def create(request: AuthedRequest, code: str, payload: PilotCreateIn) -> Status[dict[str, Any]]:
    district = powers.get_district_for(request.auth, code)
    rules.ensure_create(request.auth, district)
    programme = services.create_programme(
        by=request.auth, district=district, name=payload.name, units=_units(district.pk, payload.units)
    )
    return Status(201, programme_out(programme, request.auth))


@router.get("/pilots/{programme_id}", response=ProgrammeOut, by_alias=True, summary="试点详情（R-PIL-1）")
def get_pilot(request: AuthedRequest, programme_id: int) -> dict[str, Any]:
    return programme_out(selectors.get_programme_for(request.auth, programme_id), request.auth)


class PilotUnitIn(Schema):
    unit: str = Field(..., max_length=32, description="单位代码")


@_write("/pilots/{programme_id}/units", "增加试点单位（正式实施开始前，R-PIL-1）")
def add_unit(request: AuthedRequest, programme_id: int, payload: PilotUnitIn) -> dict[str, Any]:
    def call(programme: Programme) -> None:
        (unit,) = _units(programme.district_id, [payload.unit], "unit")
        services.add_unit(by=request.auth, programme=programme, unit=unit)

    return _apply(request, programme_id, call, rules.ensure_units)


@_write("/pilots/{programme_id}/units/{code}/remove", "移出试点单位（正式实施开始前，R-PIL-1）")
def remove_unit(request: AuthedRequest, programme_id: int, code: str) -> dict[str, Any]:
    def call(programme: Programme) -> None:
        (unit,) = _units(programme.district_id, [code], "unit")
        services.remove_unit(by=request.auth, programme=programme, unit=unit)

    return _apply(request, programme_id, call, rules.ensure_units)


class PilotPhaseIn(Schema):
    name: PhaseNameCode
    from_: IsoDate = Field(..., alias="from", description="起始日期，不早于今天；三个阶段日期依次递增")


@_write("/pilots/{programme_id}/phases", "设定试点阶段的起始日期（未开始的阶段，R-PIL-1）")
def set_phase(request: AuthedRequest, programme_id: int, payload: PilotPhaseIn) -> dict[str, Any]:
    return _apply(
        request,
        programme_id,
        lambda p: services.set_phase(by=request.auth, programme=p, name=payload.name, start=payload.from_),
    )


class PilotVisitIn(Schema):
    on: IsoDate = Field(..., description="督查日期")
    units: list[Name] = Field(..., max_length=500, description="督查的试点单位代码")
    visitors: str = Field(..., max_length=200, description="督查人员")
    findings: str = Field(..., max_length=20000, description="督查记录")


@_write("/pilots/{programme_id}/visits", "记录督查（区纪委管理员，R-PIL-1）", created=True)
def record_visit(request: AuthedRequest, programme_id: int, payload: PilotVisitIn) -> Status[dict[str, Any]]:
    def call(programme: Programme) -> None:
        units = _units(programme.district_id, payload.units)
        services.record_visit(
            by=request.auth,
            programme=programme,
            on=payload.on,
            units=units,
            visitors=payload.visitors,
            findings=payload.findings,
        )

    return Status(201, _apply(request, programme_id, call, rules.ensure_visit))


class PilotRolloutIn(Schema):
    on: IsoDate = Field(..., description="全面推开日期：晚于正式实施日期，不早于今天")
    template: str | None = Field(
        None, max_length=48, description="其余单位采用的政策模板代码，默认为试点单位的模板"
    )


@_write("/pilots/{programme_id}/rollout", "全面推开：其余单位自推开日期起执行政策（R-PIL-1）")
def roll_out(request: AuthedRequest, programme_id: int, payload: PilotRolloutIn) -> dict[str, Any]:
    return _apply(
        request,
        programme_id,
        lambda p: services.roll_out(by=request.auth, programme=p, on=payload.on, template=payload.template),
    )
