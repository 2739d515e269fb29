"""Canonical entry bytes: the same entry always serialises — and so hashes — the same way.

No Django import: the offline verifier uses the same format (docs/ledger.md).

An entry is a JSON object with exactly these keys (version 1):
    index    the entry's own position in the log (0-based), so a moved row betrays itself
    payload  object, the event's facts
    subject  "matter:42", or ""
    time     ISO 8601 with microseconds and offset, Asia/Shanghai
    type     the event code from the registry (events.py)
    unit     unit code, or ""
    v        1
    who      username of the actor, or "" for the system
Serialised with sorted keys, no whitespace, UTF-8, non-ASCII kept as is. The key names are chosen so
that "index" sorts first: every entry's bytes begin with  {"index":<decimal>,
"""

from __future__ import annotations

import json
from typing import Any

ENTRY_VERSION = 1


def canonical_bytes(entry: dict[str, Any]) -> bytes:
    """UTF-8 JSON with sorted keys, no insignificant whitespace, non-ASCII kept as is."""
    return json.dumps(
        entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def entry_body(
    *, index: int, event_type: str, who: str, unit: str, subject: str, time: str, payload: dict[str, Any]
) -> dict[str, Any]:
    return {
        "index": index,
        "payload": payload,
        "subject": subject,
        "time": time,
        "type": event_type,
        "unit": unit,
        "v": ENTRY_VERSION,
        "who": who,
    }


INDEX_PREFIX = b'{"index":%d,'


def index_prefix(index: int) -> bytes:
    """The bytes every canonical entry at `index` starts with."""
    return INDEX_PREFIX % index


def embedded_index(data: bytes) -> int | None:
    """The index an entry's bytes claim for themselves, or None if they do not start like an entry."""
    if not data.startswith(b'{"index":'):
        return None
    end = data.find(b",", 9)
    digits = data[9:end] if end > 0 else b""
    return int(digits) if digits.isdigit() else None
