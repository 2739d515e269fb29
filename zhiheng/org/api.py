"""Units and teams: GET /units, GET /units/{code}/team (API.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import find_person
from zhiheng.api.pagination import Page
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import Forbidden, Invalid
from zhiheng.core.input_types import IsoDate

from . import selectors, services
from .models import Membership, Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    district: str
    district_name: str
    kind: str
    kind_label: str
    policy: str | None


class TeamMemberOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    title: str
    start: str
    end: str | None


def unit_out(unit: Unit, policy: str | None) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "district": unit.district.code,
        "district_name": unit.district.name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "policy": policy,
    }


def _visible_units(person: int, day: dt.date) -> QuerySet[Unit]:
    """selectors.list_units_for, with the columns unit_out reads."""
    return selectors.list_units_for(Person(pk=person), day).only(
        "code", "name", "kind", "district", "district__code", "district__name"
    )


# Every GET /units without filters runs this query: compiled once per process, not on each request.
_VISIBLE_UNITS: CompiledQuery[Unit] = CompiledQuery(_visible_units, person=int, day=dt.date)


@router.get("/units", response=list[UnitOut], summary="我可见的单位")
@paginate(Page)
def list_units(
    request: AuthedRequest, district: str | None = None, q: str | None = None
) -> list[dict[str, Any]]:
    from zhiheng.powers.selectors import policy_codes_for_units

    if not district and not q:  # the daily read: compiled once (issue 12)
        rows = _VISIBLE_UNITS.objects(person=request.auth.pk, day=clock.today())
    else:
        units = selectors.list_units_for(request.auth)
        if district:
            units = units.filter(district__code=district)
        if q:
            units = units.filter(name__icontains=q) | units.filter(code__icontains=q)
        rows = list(units)
    policies = policy_codes_for_units(rows)
    return [unit_out(u, policies.get(u.pk)) for u in rows]


@router.get("/units/{code}/team", response=list[TeamMemberOut], summary="单位领导班子及经办人")
@paginate(Page)
def unit_team(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    unit = selectors.get_unit_for(request.auth, code)
    return [member_out(m) for m in selectors.team_on(unit)]


def member_out(m: Membership) -> dict[str, Any]:
    return {
        "username": m.person.username,
        "name": m.person.name,
        "role": m.role,
        "role_label": str(m.get_role_display()),
        "title": m.title,
        "start": m.start.isoformat(),
        "end": m.end.isoformat() if m.end else None,
    }


class UnitIn(Schema):
    district: str = Field(..., max_length=32)
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=64)
    kind: str = Field("department", max_length=16)


class AppointIn(Schema):
    username: str = Field(..., max_length=150)
    role: str = Field(..., max_length=16)
    title: str = Field("", max_length=64)
    start: IsoDate
    end: IsoDate | None = None


@router.post("/units", response={201: UnitOut}, summary="设立单位（纪委管理员）")
def create_unit(request: AuthedRequest, payload: UnitIn) -> Status[dict[str, Any]]:
    district = selectors.list_districts_for(request.auth).filter(code=payload.district).first()
    if district is None:
        raise Forbidden("R-ORG-1", "只有本区纪委管理员可以设立单位", {"district": payload.district})
    unit = services.create_unit(
        by=request.auth, district=district, code=payload.code, name=payload.name, kind=payload.kind
    )
    return Status(201, unit_out(unit, None))


@router.post("/units/{code}/team", response={201: TeamMemberOut}, summary="登记任职（纪委管理员）")
def appoint(request: AuthedRequest, code: str, payload: AppointIn) -> Status[dict[str, Any]]:
    unit = selectors.get_unit_for(request.auth, code)
    person = find_person(payload.username)
    if person is None:
        raise Invalid("validation", "人员不存在", {"fields": {"username": ["人员不存在"]}})
    m = services.appoint(
        by=request.auth,
        unit=unit,
        person=person,
        role=payload.role,
        title=payload.title,
        start=payload.start,
        end=payload.end,
    )
    return Status(201, member_out(m))
