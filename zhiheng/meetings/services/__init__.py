"""Writes of the meetings app, one function per use case (R-MTG-1..9, R-SUP-2).

Every write: lock the meeting (selectors.locked_meeting) → authorize and check the meeting's state
(rules.ensure_<verb>) → check the input → write → ledger.record. A refused write changes nothing and
records nothing (the transaction rolls back).

- convening.py     create_meeting, add_item — the meeting, its chair and frozen rules, its agenda
- attendance.py    record_attendance — members, the inspector, observers
- recommendations.py  recommend — real-name recommendation of candidates (R-MTG-5)
- statements.py    state — statements in the speaking order (R-MTG-3/4/9)
- closing.py       defer_item, close_meeting, correct — the chair's deferral, the tally and the seal,
                   corrections of sealed minutes (R-MTG-6/7)
- observation.py   observe — the inspection group walks in unannounced (R-SUP-2)
"""

from .attendance import record_attendance
from .closing import close_meeting, correct, decide_item, defer_item
from .convening import add_item, create_meeting
from .observation import observe
from .recommendations import recommend
from .statements import state, statement_digest

__all__ = [
    "add_item",
    "close_meeting",
    "correct",
    "create_meeting",
    "decide_item",
    "defer_item",
    "observe",
    "recommend",
    "record_attendance",
    "state",
    "statement_digest",
]
