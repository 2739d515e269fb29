"""REST endpoints of effectiveness analytics (API.md "Warnings and analytics", SPEC §11)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["analytics"])
