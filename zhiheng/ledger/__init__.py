"""The tamper-evident ledger (SPEC R-LED): an append-only RFC 9162 Merkle log with signed checkpoints.

Domain-free: it imports no other zhiheng domain app. Domain apps declare their event codes with
`events.register(...)` and append with `record(...)` inside their own transaction; upper layers that
react to what happened subscribe handlers to event codes (`dispatch.subscribe`), which receive each entry
after its transaction commits:

    from zhiheng import ledger
    ledger.record("matter.approved", by=person, unit=matter.unit.code, subject=f"matter:{matter.pk}",
                  payload={"comment": comment})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Entry


def record(
    event_type: str,
    *,
    by: Any = None,
    unit: str = "",
    district: str = "",
    subject: str = "",
    payload: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry to the log inside the caller's transaction (see services.append).

    The entry's scope decides who may read it (rules.py): `unit` for a unit's entry, `district` (and no
    unit) for a district-level entry, neither for a platform-level entry.

    With LEDGER_SEQUENCING = "batched" (services/sequencing.py) the entry is recorded as pending in the
    caller's transaction and integrated into the tree right after it commits: the Entry returned is then
    unsaved, its `index` None (not yet integrated, 待入账) and its `pending` the id to anchor by — a caller
    that keeps the index registers a resolver (sequencing.register_resolver) to fill it in.
    """
    from . import dispatch
    from .services import append, sequencing
    from .services.appending import scoped_payload

    if sequencing.batched():
        return sequencing.record_pending(
            event_type=event_type,
            actor=getattr(by, "username", "") or "",
            unit=unit,
            district=district,
            subject=subject,
            payload=scoped_payload(unit=unit, district=district, payload=payload or {}),
        )
    entry = append(
        event_type=event_type, by=by, unit=unit, district=district, subject=subject, payload=payload or {}
    )
    dispatch.after_append(entry)  # handed to the subscribed handlers once it commits (dispatch.py)
    return entry
