"""A finding's rectification states and the one transition table (R-SUP-2). No queries here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("一般")
    MEDIUM = "medium", _("较重")
    HIGH = "high", _("严重")


class FindingState(models.TextChoices):
    OPEN = "open", _("整改中")
    ANSWERED = "answered", _("待验收")
    ACCEPTED = "accepted", _("已销号")


# (state, action) → next state. The unit answers an open item; the group accepts the answer (销号) or
# returns it to the unit (back to 整改中). An accepted item is final.
TRANSITIONS: dict[tuple[str, str], str] = {
    (FindingState.OPEN, "answer"): FindingState.ANSWERED,
    (FindingState.ANSWERED, "answer"): FindingState.ANSWERED,
    (FindingState.ANSWERED, "accept"): FindingState.ACCEPTED,
    (FindingState.ANSWERED, "return"): FindingState.OPEN,
}


def next_state(state: str, action: str) -> str | None:
    """The state after `action`, or None when the action is out of order."""
    return TRANSITIONS.get((state, action))


def is_closed(state: str) -> bool:
    return state == FindingState.ACCEPTED
