"""Builds the demo dataset: deterministic (fixed seed) and idempotent (a second run changes nothing).

Each capability adds its own step module under steps/; they run in dependency order inside one
transaction, so a failed build leaves nothing half-made.
"""

from __future__ import annotations

import importlib

from django.db import transaction

from zhiheng.ledger import dispatch
from zhiheng.org.models import District

from .context import DemoContext

# Dependency order. A step module exposes build(ctx) and may be absent while its capability is unbuilt.
STEPS = (
    "org",
    "powers",
    "matters",
    "meetings",
    "stories",
    "prereform",
    "pilots",
    "redflags",
    "ledger",
    "supervision",
    "inspections",
    "checkup",
    "reports",
    "riskregister",
    "unitrules",
    "tours",
    "warnings",
    "analytics",
)


def is_built() -> bool:
    return District.objects.filter(code="jiangbei").exists()


def build() -> DemoContext | None:
    """Build the demo unless it is already there; returns the context, or None if nothing was done."""
    if is_built():
        return None
    ctx = DemoContext()
    # The last step (warnings) replays the whole history into the red flags: no second delivery after commit.
    with dispatch.replayed_by_caller(), transaction.atomic():
        for name in STEPS:
            try:
                step = importlib.import_module(f"zhiheng.demo.steps.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"zhiheng.demo.steps.{name}":
                    raise
                continue
            step.build(ctx)
    return ctx
