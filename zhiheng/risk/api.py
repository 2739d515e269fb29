"""REST endpoints of the risk app (API.md)."""

from ninja import Router

router = Router(tags=["risk"])
