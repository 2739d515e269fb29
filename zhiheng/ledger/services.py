"""Writes to the ledger: append (the only way in)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from zhiheng.core import clock

from . import events
from .canonical import ENTRY_VERSION, canonical_bytes
from .models import Entry


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def append(*, event_type: str, by: Any, unit: str, subject: str, payload: dict[str, Any]) -> Entry:
    """Append inside the caller's transaction; the index is the next one, with no gap and no fork."""
    events.get(event_type)  # refuses unregistered codes
    actor = getattr(by, "username", "") or ""
    moment = clock.now()
    with transaction.atomic():
        last = Entry.objects.select_for_update().order_by("-index").values_list("index", flat=True).first()
        index = 0 if last is None else last + 1
        body = {
            "v": ENTRY_VERSION,
            "index": index,
            "type": event_type,
            "actor": actor,
            "unit": unit,
            "subject": subject,
            "at": moment.isoformat(),
            "payload": payload,
        }
        data = canonical_bytes(body)
        return Entry.objects.create(
            index=index,
            event_type=event_type,
            unit=unit,
            subject=subject,
            actor=actor,
            recorded_at=moment,
            data=data,
            leaf_hash=leaf_hash(data),
        )
