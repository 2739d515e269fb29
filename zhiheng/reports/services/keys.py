"""Rotating the key that seals the reporting channel (R-SUP-3): `zhiheng reports rotate-key` re-seals every
report, identity, message, reason and attachment under a new key in one transaction, then drops the old one
(`zhiheng.core.sealing.KeyFile.rotate`). The ledger records how many values, nothing of them."""

from __future__ import annotations

from zhiheng import ledger

from .. import events, sealing
from ..models import Case, Report, ReportAttachment, ReportMessage


def sealed_fields() -> list[tuple[type, tuple[str, ...]]]:
    """Every sealed column of the app."""
    return [
        (Report, ("sealed_content", "sealed_identity")),
        (ReportMessage, ("sealed_body",)),
        (Case, ("sealed_reason",)),
        (ReportAttachment, ("sealed_clean", "sealed_original")),
    ]


def rotate_keys() -> int:
    """Re-seal every sealed value under a new key; the number of values re-sealed."""
    return sealing.KEYS.rotate(
        sealed_fields(),
        lambda count: ledger.record(
            events.KEYS_ROTATED.code, subject="reports-keys", payload={"values": count}
        ),
    )
