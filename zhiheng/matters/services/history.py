"""A matter's history: every change is one MatterEvent row and one ledger entry (R-MAT-1: every
transition is dated, attributed and recorded in the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock

from ..models import Matter, MatterEvent


@dataclass(frozen=True)
class MeetingDecider:
    """The actor the ledger names for a collective decision: the meeting item, never its chair (issue 9
    hole 9). `username` is what ledger.record reads for the entry's actor."""

    ref: str

    @property
    def username(self) -> str:
        return self.ref


Actor = Person | MeetingDecider | None  # None: the system (a hand-over, an automatic referral)


def record(
    matter: Matter,
    *,
    by: Actor,
    action: str,
    note: str = "",
    payload: dict[str, Any] | None = None,
    event: str | None = None,
) -> None:
    entry = ledger.record(
        event or f"matter.{action}",
        by=by,
        unit=matter.unit.code,
        subject=matter.subject,
        payload={"state": str(matter.state), "note": note, **(payload or {})},
    )
    MatterEvent.objects.create(
        matter=matter,
        at=clock.now(),
        actor=by if isinstance(by, Person) else None,  # a MeetingDecider is no person (hole 9)
        action=action,
        state=matter.state,
        note=note,
        ledger_index=entry.index,  # None while the entry waits for integration (batched sequencing) …
        ledger_pending=entry.pending,  # … which fills it in by this id (apps.py registers the resolver)
    )
