"""A unit rule's and a model rule's statuses and their transition table (no queries): a rule is in force
until it is repealed (废止), and a repealed rule is history — it takes no new version and is never revived
(a unit that wants it back adopts a new rule, with its own code and its own meeting); a model rule of the
district's library is active until withdrawn (停用)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import OutOfOrder


class RuleStatus(models.TextChoices):
    IN_FORCE = "in_force", _("现行有效")
    REPEALED = "repealed", _("已废止")


class ModelStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    WITHDRAWN = "withdrawn", _("已停用")


TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "revise": (frozenset({RuleStatus.IN_FORCE}), ""),
    "repeal": (frozenset({RuleStatus.IN_FORCE}), RuleStatus.REPEALED),
    "edit_model": (frozenset({ModelStatus.ACTIVE}), ""),
    "adopt_model": (frozenset({ModelStatus.ACTIVE}), ""),
    "withdraw_model": (frozenset({ModelStatus.ACTIVE}), ModelStatus.WITHDRAWN),
}


def allowed(state: str, action: str) -> bool:
    return state in TRANSITIONS[action][0]


def next_state(state: str, action: str) -> str:
    """Where `action` leads from `state` (the same state when it changes none), or the refusal (409)."""
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise OutOfOrder(detail={"status": state, "action": action})
    return target or state
