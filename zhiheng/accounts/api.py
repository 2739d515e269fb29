"""Auth and identity: POST /auth/token, GET /me (API.md)."""

from __future__ import annotations

from ninja import Router, Schema

from zhiheng.org import selectors as org_selectors

from . import services

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class RoleOut(Schema):
    unit: str | None
    district: str | None = None
    role: str
    title: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]


@router.post("/auth/token", auth=None, response=TokenOut, summary="登录换取 API 令牌")
def token(request, payload: TokenIn):
    return {"token": services.issue_token(username=payload.username, password=payload.password)}


@router.get("/me", response=MeOut, summary="当前用户及其角色")
def me(request):
    person = request.auth
    roles = [
        {"unit": m.unit.code, "role": m.role, "title": m.title}
        for m in org_selectors.current_memberships_of(person).select_related("unit")
    ]
    roles += [
        {"unit": None, "district": g.district.code, "role": g.role, "title": g.title}
        for g in org_selectors.district_roles_of(person)
    ]
    return {"username": person.username, "name": person.name, "roles": roles}
