"""Field-level sealing of the check-up's personal data (R-GATE-2 "encrypted at rest").

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under keys held in CHECKUP_KEY_FILE, outside the
database: a dump, a backup or a replica of the database alone opens nothing. The file holds one key per
line; the first seals, every line opens, so a rotation (`rotate_key`) prepends a new key, re-seals every row
under it and only then lets the old key be dropped. The file is created on first use, readable by its owner
only, as the ledger's signing key is.
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
    """A sealed value no key in the key file opens (a key was dropped before its rows were re-sealed)."""


def _path() -> Path:
    return Path(settings.CHECKUP_KEY_FILE)


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


def _current() -> MultiFernet:
    return _fernet(tuple(read_keys()))


def seal(value: Any) -> bytes:
    """The JSON of `value`, sealed under the current key."""
    return _current().encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True).encode())


def unseal(token: bytes | memoryview) -> Any:
    try:
        return json.loads(_current().decrypt(bytes(token)))
    except InvalidToken as exc:
        raise SealBroken("no key in CHECKUP_KEY_FILE opens this value") from exc


def add_key() -> None:
    """Put a new key first: it seals from now on; the old ones still open what they sealed."""
    _write_keys(_path(), [Fernet.generate_key(), *read_keys()])


def reseal(token: bytes | memoryview) -> bytes:
    """The same value sealed under the current (first) key."""
    try:
        return _current().rotate(bytes(token))
    except InvalidToken as exc:
        raise SealBroken("no key in CHECKUP_KEY_FILE opens this value") from exc


def drop_old_keys() -> None:
    """Keep only the current key (after every row was re-sealed under it)."""
    _write_keys(_path(), read_keys()[:1])
