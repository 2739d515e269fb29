"""A tour's progress and its rectifications' states (R-GATE-5). No queries here.

A rectification 整改问题 moves as an inspection finding's rectification does (R-SUP-2): the unit answers with
what it did, the tour team closes it (销号) — so the states and the transition table are the inspections
app's, reused as they are."""

from __future__ import annotations

import datetime as dt

from zhiheng.inspections.states import FindingState, is_closed, next_state

__all__ = ["FindingState", "is_closed", "is_done", "is_overdue", "next_state"]


def is_done(step: int, steps: int) -> bool:
    """A tour is done when every step of its method is completed."""
    return step >= steps


def is_overdue(state: str, deadline: dt.date, today: dt.date) -> bool:
    """An open rectification past its deadline (a closed one is never overdue; it may have closed late)."""
    return not is_closed(state) and deadline < today
