"""Writes of the unit rules, re-exported here so every interface calls `unitrules.services.<use case>`."""

from .imports import import_library, import_rules
from .library import create_model, edit_model, withdraw_model
from .versions import adopt_model, create_rule, repeal_rule, revise_rule

__all__ = [
    "adopt_model",
    "create_model",
    "create_rule",
    "edit_model",
    "import_library",
    "import_rules",
    "repeal_rule",
    "revise_rule",
    "withdraw_model",
]
