"""Canonical entry bytes: the same entry always serialises — and so hashes — the same way.

No Django import: the offline verifier uses this module too.
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
