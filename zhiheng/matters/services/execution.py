"""After the decision: the co-signatures a matter needs (R-MAT-4), then its execution — only once every
required leader has signed."""

from __future__ import annotations

from django.db import transaction

from zhiheng.accounts.models import Person
from zhiheng.core import clock

from .. import rules, states
from ..models import Matter
from .decision import cosign_pending
from .handover import locked
from .history import record
from .rf1 import _raises_rf1


@_raises_rf1
@transaction.atomic
def cosign(*, matter: Matter, by: Person, comment: str = "") -> Matter:
    """R-MAT-4: each required leader signs once; the last signature makes the matter approved."""
    matter = locked(matter)
    rules.ensure_cosign(by, matter)
    row = matter.cosigns.get(signer=by)
    row.signed_at = clock.now()
    row.save(update_fields=["signed_at"])
    if not cosign_pending(matter):
        matter.state = states.next_state(matter.state, "cosign_complete")
        matter.save(update_fields=["state", "updated_at"])
    record(matter, by=by, action="cosigned", note=comment, payload={"role": row.role})
    return matter


@transaction.atomic
def execute(*, matter: Matter, by: Person, note: str = "") -> Matter:
    """R-MAT-1/4: the submitter or the deputy executes an approved matter whose co-signs are complete."""
    matter = locked(matter)
    rules.ensure_execute(by, matter)
    matter.state = states.next_state(matter.state, "execute")
    matter.executed_at = clock.now()
    matter.save(update_fields=["state", "executed_at", "updated_at"])
    record(matter, by=by, action="executed", note=note)
    return matter
