"""Celery tasks of the ledger: frequent checkpoints and their witnessing (R-LED-2, issue 10).

With a broker, beat runs `checkpoint_if_due` every LEDGER_CHECKPOINT_MINUTES. Without one (embedded
mode) the same check runs in-process after every transaction that records (services.append), so
checkpoints are frequent in every mode.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zhiheng.ledger.tasks.issue_checkpoint")
def issue_checkpoint(reason: str = "hourly") -> int:
    """Issue a signed checkpoint; returns its id. Idempotent in effect: a repeat just signs again."""
    from .services import issue_checkpoint as issue

    return issue(reason=reason).pk


@shared_task(name="zhiheng.ledger.tasks.checkpoint_if_due")
def checkpoint_if_due() -> int | None:
    """The periodic job: a checkpoint if one is due (count, time, or hourly heartbeat); the latest
    checkpoint written to the witness log if it was missed; then the pushes to the witnesses retried."""
    from . import services
    from .services import sequencing

    sequencing.integrate_all()  # what a crash left pending is in the tree before the checkpoint signs it
    cp = services.checkpoint_if_due(heartbeat=True)
    services.rewitness_latest()
    services.push_witnesses()
    return cp.pk if cp else None


@shared_task(name="zhiheng.ledger.tasks.integrate")
def integrate() -> int:
    """The sweep of batched sequencing (services/sequencing.py), every LEDGER_INTEGRATE_SECONDS: every
    committed pending entry integrated into the tree. Normally the recording process already did it right
    after its commit; this heals a crash in between. Returns how many it integrated."""
    from .services import sequencing

    if not sequencing.batched() and not sequencing.pending_count():
        return 0
    return sequencing.integrate_all()


@shared_task(name="zhiheng.ledger.tasks.push_witnesses")
def push_witnesses() -> int:
    """Push the latest witnessed checkpoint to the configured witnesses; returns how many accepted it."""
    from . import services

    return sum(ok for ok, _ in services.push_witnesses())


@shared_task(
    name="zhiheng.ledger.tasks.deliver_entry",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def deliver_entry(index: int) -> int:
    """Hand committed entry `index` to the handlers subscribed to its code (dispatch.py); enqueued on
    commit. Idempotent: the handlers are, so a retry after a partial failure delivers again harmlessly."""
    from . import dispatch

    return dispatch.deliver(index)
