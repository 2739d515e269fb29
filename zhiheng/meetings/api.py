"""REST endpoints of the meetings app (API.md)."""

from ninja import Router

router = Router(tags=["meetings"])
