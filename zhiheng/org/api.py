"""Units and teams: GET /units, GET /units/{code}/team (API.md)."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.pagination import paginate

from zhiheng.api.pagination import Page

from . import selectors

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


def unit_out(unit, policy: str | None) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "district": unit.district.code,
        "district_name": unit.district.name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "policy": policy,
    }


@router.get("/units", response=list[UnitOut], summary="我可见的单位")
@paginate(Page)
def list_units(request, district: str | None = None, q: str | None = None):
    from zhiheng.powers.selectors import policy_codes_for_units

    units = selectors.list_units_for(request.auth)
    if district:
        units = units.filter(district__code=district)
    if q:
        units = units.filter(name__icontains=q) | units.filter(code__icontains=q)
    units = list(units)
    policies = policy_codes_for_units(units)
    return [unit_out(u, policies.get(u.pk)) for u in units]


@router.get("/units/{code}/team", response=list[TeamMemberOut], summary="单位领导班子及经办人")
def unit_team(request, code: str):
    unit = selectors.get_unit_for(request.auth, code)
    return [
        {
            "username": m.person.username,
            "name": m.person.name,
            "role": m.role,
            "role_label": str(m.get_role_display()),
            "title": m.title,
            "start": m.start.isoformat(),
            "end": m.end.isoformat() if m.end else None,
        }
        for m in selectors.team_on(unit)
    ]
