"""REST endpoints of the matters app (API.md)."""

from ninja import Router

router = Router(tags=["matters"])
