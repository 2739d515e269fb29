"""Every read under a check is a record (R-SUP-2): who read what, when — in the ledger and in the check's
read log. The read paths of the apps that hold the unit's records (matters, meetings, supervision) call
`note_read` when the reader's only way in is a check's grant."""

from __future__ import annotations

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock

from .. import events, selectors
from ..models import Read


def note_read(person: Person, unit_id: int, kind: str, ref: object) -> Read | None:
    """Log that `person` read `kind:ref` of the unit under the check they hold on it now; None (and
    nothing written) when they hold none — they read by another right, or not at all."""
    inspection = selectors.active_inspection(person, unit_id)
    if inspection is None:
        return None
    with transaction.atomic():
        read = Read.objects.create(
            inspection=inspection, person=person, kind=kind, ref=str(ref), at=clock.now()
        )
        entry = ledger.record(
            events.READ.code,
            by=person,
            district=inspection.unit.district.code,
            subject=inspection.subject,
            payload={"unit": inspection.unit.code, "what": read.what},
        )
        read.ledger_index = entry.index
        read.save(update_fields=["ledger_index"])
    return read
