"""Chinese labels for every code a person may see, from one place (issue 13).

Codes stay codes in the database, the API and the ledger; people read labels. Each domain app registers
its vocabularies in its own `labels.py` (imported by its AppConfig.ready), and templates show a code with
`{% load labels %}{{ matter.state|label:"matter.state" }}`. An unknown code is shown as it is, so a
missing label is visible (and caught by the untranslated-code test) rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from django.db.models import Choices

_vocabularies: dict[str, dict[str, Any]] = {}


def register(vocabulary: str, labels: Mapping[str, Any] | type[Choices] | Iterable[tuple[str, Any]]) -> None:
    """Register (or extend) a vocabulary: a mapping code → label, a Django Choices class or choice pairs."""
    if isinstance(labels, type) and issubclass(labels, Enum):
        pairs: Iterable[tuple[str, Any]] = labels.choices  # type: ignore[attr-defined]
    elif isinstance(labels, Mapping):
        pairs = labels.items()
    else:
        pairs = labels
    _vocabularies.setdefault(vocabulary, {}).update({str(code): text for code, text in pairs})


def label(vocabulary: str, code: object) -> str:
    """The label of `code` in `vocabulary`; the code itself when there is none."""
    if code is None or code == "":
        return ""
    text = _vocabularies.get(vocabulary, {}).get(str(code))
    return str(text) if text is not None else str(code)


def vocabulary(name: str) -> dict[str, str]:
    """All codes of one vocabulary with their labels (for choices in forms and filters)."""
    return {code: str(text) for code, text in _vocabularies.get(name, {}).items()}


def vocabularies() -> dict[str, dict[str, str]]:
    return {name: vocabulary(name) for name in _vocabularies}
