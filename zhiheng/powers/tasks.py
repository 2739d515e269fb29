"""Celery tasks of the powers app: the daily "came into force" record (R-DIV-5/6)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="zhiheng.powers.tasks.record_plans_coming_into_force")
def record_plans_coming_into_force(day: str | None = None) -> int:
    """Write "came into force" for filed plans whose date has arrived; returns how many.

    Idempotent: a plan is recorded once (DivisionPlan.in_force_recorded_at), so a repeated or
    overlapping run writes nothing more. `day` is an ISO date (Celery arguments travel as JSON);
    default today.
    """
    from .services import record_plans_coming_into_force as record

    return record(dt.date.fromisoformat(day) if day else None)
