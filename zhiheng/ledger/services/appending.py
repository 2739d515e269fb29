"""Appending: the only way into the log.

Appends serialize on one Head row locked with SELECT ... FOR UPDATE: it holds the next index and the
frontier (the perfect-subtree hashes tiling the tree), so an append reads nothing but the head, writes
the entry, the subtree hashes it completes (one on average) and the head. Two transactions can never
take the same index (the second waits for the first's commit and then reads the advanced head), an
index is never skipped, and a rolled-back transaction rolls the head back with it, consuming nothing.
The cost: a transaction that records holds the ledger lock until it commits — keep them short.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from zhiheng.core import clock

from .. import events, merkle
from ..canonical import canonical_bytes, entry_body
from ..models import Entry, Head, Node
from .checkpoints import schedule_checkpoint_after_commit
from .head import locked_head

log = logging.getLogger(__name__)


def leaf_hash(data: bytes) -> bytes:
    return merkle.leaf_hash(data)


def scoped_payload(*, unit: str, district: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with a district-level entry's scope in it, so the scope is part of the hashed bytes.

    An entry has one scope: a unit, or a district (no unit), or neither (platform-level). A district
    given with a unit, or contradicting the payload's own "district", is a programming error.
    """
    if not district:
        return payload
    if unit:
        raise ValueError("a ledger entry is scoped to a unit or to a district, not both")
    if payload.get("district", district) != district:
        raise ValueError(f"payload district {payload['district']!r} contradicts the entry's {district!r}")
    return {**payload, "district": district}


def entry_bytes(
    *,
    index: int,
    event_type: str,
    actor: str,
    unit: str,
    subject: str,
    moment: dt.datetime,
    payload: dict[str, Any],
) -> bytes:
    """The canonical bytes of an entry at `index` recorded at `moment`: one formula for the inline append
    and for batched sequencing, whose integrated entries must be byte-identical to inline ones."""
    return canonical_bytes(
        entry_body(
            index=index,
            event_type=event_type,
            who=actor,
            unit=unit,
            subject=subject,
            time=moment.astimezone(clock.SHANGHAI).isoformat(timespec="microseconds"),
            payload=payload,
        )
    )


def append(
    *, event_type: str, by: Any, unit: str, subject: str, payload: dict[str, Any], district: str = ""
) -> Entry:
    """Append inside the caller's transaction; the index is the next one, with no gap and no fork."""
    events.get(event_type)  # refuses unregistered codes
    payload = scoped_payload(unit=unit, district=district, payload=payload)
    actor = getattr(by, "username", "") or ""
    moment = clock.now()
    with transaction.atomic():
        head = locked_head()
        index = head.size
        data = entry_bytes(
            index=index,
            event_type=event_type,
            actor=actor,
            unit=unit,
            subject=subject,
            moment=moment,
            payload=payload,
        )
        leaf = merkle.leaf_hash(data)
        frontier, completed = merkle.append_leaf(index, merkle.unpack_frontier(bytes(head.frontier)), leaf)
        entry = Entry.objects.create(
            index=index,
            event_type=event_type,
            unit=unit,
            district=district,
            subject=subject,
            actor=actor,
            recorded_at=moment,
            data=data,
            leaf_hash=leaf,
        )
        if completed:
            Node.objects.bulk_create([Node(key=merkle.pack_key(lv, i), hash=h) for lv, i, h in completed])
        Head.objects.filter(pk=1).update(size=index + 1, frontier=merkle.pack_frontier(frontier))
    schedule_checkpoint_after_commit()
    return entry
