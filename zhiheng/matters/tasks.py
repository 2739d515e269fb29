"""Celery tasks of the matters app: the daily hand-over of matters whose deputy or co-signer left (issue 9
hole 8)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zhiheng.matters.tasks.hand_over_matters_of_departed")
def hand_over_matters_of_departed(unit: str | None = None) -> int:
    """Hand over the open matters of deputies and co-signers whose term has ended, in one unit (by code)
    or everywhere; returns how many matters changed. Idempotent: a second run changes nothing."""
    from zhiheng.org.models import Unit

    from .services import hand_over_matters_of_departed as hand_over

    return hand_over(unit=Unit.objects.get(code=unit) if unit else None)
