"""Navigation shown on every page, from the same predicates the API uses."""

from __future__ import annotations

from django.http import HttpRequest

from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import District


def navigation(request: HttpRequest) -> dict[str, list[District]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_admin_districts": []}
    return {"nav_admin_districts": list(org_selectors.administered_districts(user))}
