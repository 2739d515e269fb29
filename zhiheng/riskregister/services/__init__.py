"""Writes of the risk register, re-exported here so every interface calls `riskregister.services.<use case>`."""

from .imports import import_points
from .points import edit_point, propose_point, publish_point, require_review, retire_point, review_point

__all__ = [
    "edit_point",
    "import_points",
    "propose_point",
    "publish_point",
    "require_review",
    "retire_point",
    "review_point",
]
