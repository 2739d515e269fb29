"""Writes to the ledger, one module per concern: appending (the only way in), checkpoints (signed,
checked and witnessed) and verifying (the full check of the stored log). Re-exported here so callers
write `ledger.services.<name>`."""

from .appending import append, leaf_hash, scoped_payload
from .checkpoints import (
    checkpoint_if_due,
    checkpoint_when_due_quietly,
    issue_checkpoint,
    issue_checkpoint_after_commit,
    push_witnesses,
    push_witnesses_closing,
    rewitness_latest,
    schedule_checkpoint_after_commit,
    signature_checker,
    signature_ok,
    witness_checkpoint,
)
from .verifying import run_verification, verify_all, verify_workers, witnessed_rows

__all__ = [
    "append",
    "checkpoint_if_due",
    "checkpoint_when_due_quietly",
    "issue_checkpoint",
    "issue_checkpoint_after_commit",
    "leaf_hash",
    "push_witnesses",
    "push_witnesses_closing",
    "rewitness_latest",
    "run_verification",
    "schedule_checkpoint_after_commit",
    "scoped_payload",
    "signature_checker",
    "signature_ok",
    "verify_all",
    "verify_workers",
    "witness_checkpoint",
    "witnessed_rows",
]
