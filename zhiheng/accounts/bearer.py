"""Bearer-token authentication for the REST API (API.md: Authorization: Bearer <token>). config/api.py
hands it to the NinjaAPI, so the API plumbing (zhiheng.api) does not import accounts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import Person
from .services import token_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        """The live token's person (expired, revoked, inactive or departed → None → 401). The token row
        is kept on the request, so DELETE /auth/token and /auth/token/renew act on the caller's own."""
        row = token_for(token)
        if row is None:
            return None
        request.user = row.person
        request.api_token = row  # type: ignore[attr-defined]
        return row.person


bearer = BearerToken()
