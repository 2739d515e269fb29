"""Rotating the sealing key (R-GATE-2 "rotation supported"): a new key first in the key file, every sealed
value re-sealed under it in one transaction, then the old keys dropped (`zhiheng.core.sealing.KeyFile.rotate`)."""

from __future__ import annotations

from zhiheng import ledger

from .. import events, sealing
from ..models import ArchiveEntry, Declaration, OnlineSitting, Opinion

SEALED = (
    (Declaration, ("sealed_items", "sealed_checks")),
    (Opinion, ("sealed_reasons",)),
    (ArchiveEntry, ("sealed_content",)),
    (OnlineSitting, ("sealed_answers",)),
)


def rotate_keys() -> int:
    """Re-seal every row under a new key; the number of values re-sealed."""
    return sealing.KEYS.rotate(
        SEALED,
        lambda count: ledger.record(
            events.KEYS_ROTATED.code, subject="checkup-keys", payload={"values": count}
        ),
    )
