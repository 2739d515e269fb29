"""Auth and identity (API.md): POST/DELETE /auth/token, POST /auth/token/renew, GET /me, and the
commission's DELETE /people/{username}/tokens (issue 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from zhiheng.org import selectors as org_selectors

from . import services
from .http import AuthedRequest
from .signin import request_address

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=1024)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


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
def token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """A bearer token of ZHIHENG_TOKEN_HOURS (default 12 h). Wrong credentials → 401; repeated failures
    → 429 with Retry-After (see docs/decisions/0010 for the throttling rules)."""
    token, row = services.issue_token_row(
        username=payload.username, password=payload.password, address=request_address(request), channel="api"
    )
    return {"token": token, "expires_at": row.expires_at}


@router.delete("/auth/token", response={204: None}, summary="注销：撤销当前 API 令牌")
def revoke_token(request: AuthedRequest) -> Status[None]:
    services.revoke_own_token(by=request.auth, token_id=request.api_token.pk)
    return Status(204, None)


@router.post("/auth/token/renew", response=TokenOut, summary="续期：换发新令牌并撤销当前令牌")
def renew_token(request: AuthedRequest) -> dict[str, Any]:
    """A fresh token; the caller's is revoked. Renewals stop ZHIHENG_TOKEN_MAX_HOURS after the password
    was last checked (then 401: sign in again)."""
    token, row = services.renew_token(current=request.api_token)
    return {"token": token, "expires_at": row.expires_at}


@router.delete("/people/{username}/tokens", response={204: None}, summary="纪委管理员撤销某人的全部 API 令牌")
def revoke_tokens_of(request: AuthedRequest, username: str) -> Status[None]:
    """A commission admin revokes every token of a person of their district; otherwise 404."""
    services.revoke_tokens_of(by=request.auth, username=username)
    return Status(204, None)


@router.get("/me", response=MeOut, summary="当前用户及其角色")
def me(request: AuthedRequest) -> dict[str, Any]:
    person = request.auth
    roles: list[dict[str, str | None]] = [
        {"unit": m.unit.code, "role": m.role, "title": m.title}
        for m in org_selectors.current_memberships_of(person).select_related("unit")
    ]
    roles += [
        {"unit": None, "district": g.district.code, "role": g.role, "title": g.title}
        for g in org_selectors.district_roles_of(person)
    ]
    return {"username": person.username, "name": person.name, "roles": roles}
