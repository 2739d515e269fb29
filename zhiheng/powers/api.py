"""REST endpoints of the powers app (API.md)."""

from ninja import Router

router = Router(tags=["powers"])
