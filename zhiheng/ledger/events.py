"""The registry of event codes. Codes are stable: once an entry is written with a code, the code's
meaning never changes (entries are hashed, so renaming would break nothing but understanding).

Each domain app registers its codes in its own `events.py`, imported from its AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a dev dependency: for the type checker only


@dataclass(frozen=True)
class EventType:
    code: str
    label: StrOrPromise  # zh-Hans, shown in the ledger page (usually gettext_lazy)


_registry: dict[str, EventType] = {}


def register(code: str, label: StrOrPromise) -> EventType:
    existing = _registry.get(code)
    if existing is not None and existing.label != label:
        raise ValueError(f"ledger event code {code!r} registered twice with different meanings")
    _registry[code] = EventType(code, label)
    return _registry[code]


def get(code: str) -> EventType:
    try:
        return _registry[code]
    except KeyError:
        raise LookupError(f"unregistered ledger event code {code!r}") from None


def all_types() -> list[EventType]:
    return sorted(_registry.values(), key=lambda e: e.code)


register("ledger.note", _("账本备注"))
