"""Celery tasks of the ledger: the hourly checkpoint (R-LED-2)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zhiheng.ledger.tasks.issue_checkpoint")
def issue_checkpoint(reason: str = "hourly") -> int:
    """Issue a signed checkpoint; returns its id. Idempotent in effect: a repeat just signs again."""
    from .services import issue_checkpoint as issue

    return issue(reason=reason).pk
