"""参数 parameters: one "district default with unit override" mechanism for every configurable rule.

An app declares its set in its own `parameters.py` (`register(ParameterSet(...))`); every change is a
dated version and a ledger entry; reads resolve unit → district → SPEC default field by field and say
where each value comes from. See docs/decisions/0011-parameters.md. The entry points are re-exported here
so callers write `parameters.effective("matters", unit)`; models load lazily (this package is imported
while Django sets up its apps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .registry import DEFAULT, DISTRICT, SOURCE_LABELS, UNIT, Context, ParameterSet, register

if TYPE_CHECKING:
    from zhiheng.accounts.models import Person
    from zhiheng.org.models import District, Unit

    from .models import ParameterVersion
    from .selectors import Change, Effective

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


def effective(
    namespace: str, unit: Unit | None = None, *, district: District | None = None, day: dt.date | None = None
) -> Effective:
    from .selectors import effective

    return effective(namespace, unit, district=district, day=day)


def history(
    namespace: str, unit: Unit | None = None, *, district: District | None = None, inherited: bool = True
) -> list[Change]:
    from .selectors import history

    return history(namespace, unit, district=district, inherited=inherited)


def set_values(
    namespace: str,
    *,
    by: Person | None,
    values: Mapping[str, Any],
    district: District | None = None,
    unit: Unit | None = None,
) -> ParameterVersion:
    from .services import set_values

    return set_values(namespace, by=by, values=values, district=district, unit=unit)


def clear(
    namespace: str, *, by: Person | None, unit: Unit | None = None, district: District | None = None
) -> ParameterVersion | None:
    from .services import clear

    return clear(namespace, by=by, unit=unit, district=district)


def can_set(person: Person, district: District) -> bool:
    from .services import can_set

    return can_set(person, district)
