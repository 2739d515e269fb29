"""Bearer-token authentication for the REST API (API.md: Authorization: Bearer <token>)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from zhiheng.accounts.services import person_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        person = person_for_token(token)
        if person is not None:
            request.user = person
        return person


bearer = BearerToken()
