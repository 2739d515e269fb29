"""Celery tasks of the accounts app: the daily pruning of sign-in records (issue 10)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zhiheng.accounts.tasks.prune_login_records")
def prune_login_records() -> tuple[int, int]:
    """Delete old sign-in attempts and idle throttle counters; idempotent."""
    from .signin import prune_login_records as prune

    return prune()
