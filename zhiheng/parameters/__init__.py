"""参数 parameters: one "district default with unit override" mechanism for every configurable rule.

An app declares its set in its own `parameters.py` (`register(ParameterSet(...))`); every change is a
dated version and a ledger entry; reads resolve unit → district → SPEC default field by field and say
where each value comes from. See docs/decisions/0011-parameters.md. The entry points are re-exported here
so callers write `parameters.effective("matters", unit)`; models load lazily (this package is imported
while Django sets up its apps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .registry import DEFAULT, DISTRICT, SOURCE_LABELS, UNIT, Context, ParameterSet, register

__all__ = [
    "DEFAULT",
    "DISTRICT",
    "SOURCE_LABELS",
    "UNIT",
    "Context",
    "ParameterSet",
    "can_set",
    "clear",
    "effective",
    "history",
    "register",
    "set_values",
]

if TYPE_CHECKING:
    from .selectors import effective, history
    from .services import can_set, clear, set_values
else:
    # Reads and writes touch models, which cannot load while Django sets up its apps (this package is
    # imported then): the module holding each is imported on first use (PEP 562), not at start-up.
    _LAZY = {
        "effective": "selectors",
        "history": "selectors",
        "set_values": "services",
        "clear": "services",
        "can_set": "services",
    }

    def __getattr__(name: str) -> Any:
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
