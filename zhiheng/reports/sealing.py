"""Sealing of what reporters write (R-SUP-3 "encrypted at rest"): the subject and body of a report, every
message, the outcome's reasons, and — under a separate field — the reporter's name and contact.

Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`) under keys held in REPORTS_KEY_FILE, outside the database
and apart from the check-up's keys: a dump, backup or replica of the database opens nothing, and the
check-up's key opens no report. One key per line; the first seals, every line opens. The file is created on
first use, readable by its owner only.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealBroken(Exception):
    """A sealed value no key in REPORTS_KEY_FILE opens."""


def _path() -> Path:
    return Path(settings.REPORTS_KEY_FILE)


def _write_keys(path: Path, keys: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"\n".join(keys) + b"\n")
    os.replace(part, path)


def read_keys() -> list[bytes]:
    path = _path()
    if not path.exists():
        _write_keys(path, [Fernet.generate_key()])
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def seal(value: Any) -> bytes:
    """The JSON of `value`, sealed under the current key."""
    return _fernet(tuple(read_keys())).encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True).encode())


def unseal(token: bytes | memoryview) -> Any:
    try:
        return json.loads(_fernet(tuple(read_keys())).decrypt(bytes(token)))
    except InvalidToken as exc:
        raise SealBroken("no key in REPORTS_KEY_FILE opens this value") from exc
