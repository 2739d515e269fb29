"""Field-level sealing under keys kept outside the database (R-GATE-2, R-SUP-3 "encrypted at rest").

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key file named by a setting: a dump, a
backup or a replica of the database alone opens nothing. Each app that seals has its own file, so one app's
key opens nothing of another's (the check-up's key opens no report).

A key file holds one key per line; the first seals, every line opens. A rotation prepends a new key
(`add_key`), re-seals every value under it (`reseal`) and only then drops the old keys (`drop_old_keys`): a
crash between the steps leaves both keys, and every value still opens. The file is created on first use,
readable by its owner only, as the ledger's signing key is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models, transaction


class SealBroken(Exception):
    """A sealed value no key in the key file opens (a key was dropped before its values were re-sealed)."""


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


class KeyFile:
    """The keys in the file named by `setting` (read at each use, so tests and rotations see the change)."""

    def __init__(self, setting: str) -> None:
        self.setting = setting

    @property
    def path(self) -> Path:
        return Path(getattr(settings, self.setting))

    def _write(self, keys: list[bytes]) -> None:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"\n".join(keys) + b"\n")
        os.replace(part, path)

    def read_keys(self) -> list[bytes]:
        if not self.path.exists():
            self._write([Fernet.generate_key()])
        return [line.strip() for line in self.path.read_bytes().splitlines() if line.strip()]

    def _current(self) -> MultiFernet:
        return _fernet(tuple(self.read_keys()))

    def _broken(self, exc: InvalidToken) -> SealBroken:
        return SealBroken(f"no key in {self.setting} opens this value")

    def seal_bytes(self, data: bytes) -> bytes:
        """`data` sealed under the current key (files: attachments)."""
        return self._current().encrypt(data)

    def unseal_bytes(self, token: bytes | memoryview) -> bytes:
        try:
            return self._current().decrypt(bytes(token))
        except InvalidToken as exc:
            raise self._broken(exc) from exc

    def seal(self, value: Any) -> bytes:
        """The JSON of `value`, sealed under the current key."""
        return self.seal_bytes(json.dumps(value, ensure_ascii=False, sort_keys=True).encode())

    def unseal(self, token: bytes | memoryview) -> Any:
        return json.loads(self.unseal_bytes(token))

    def add_key(self) -> None:
        """Put a new key first: it seals from now on; the old ones still open what they sealed."""
        self._write([Fernet.generate_key(), *self.read_keys()])

    def reseal(self, token: bytes | memoryview) -> bytes:
        """The same value sealed under the current (first) key."""
        try:
            return self._current().rotate(bytes(token))
        except InvalidToken as exc:
            raise self._broken(exc) from exc

    def drop_old_keys(self) -> None:
        """Keep only the current key (after every value was re-sealed under it)."""
        self._write(self.read_keys()[:1])

    def rotate(
        self, sealed: Iterable[tuple[type[models.Model], tuple[str, ...]]], record: Callable[[int], object]
    ) -> int:
        """Re-seal every value of the `sealed` (model, fields) under a new key, in one transaction that also
        calls `record(count)` (the app's ledger entry); only after it commits are the old keys dropped. A
        crash before the drop leaves both keys, and every value opens under one of them."""
        self.add_key()
        count = 0
        with transaction.atomic():
            for model, fields in sealed:
                for row in model._default_manager.select_for_update().only(*fields).iterator(chunk_size=500):
                    changed = [name for name in fields if getattr(row, name) is not None]
                    for name in changed:
                        setattr(row, name, self.reseal(getattr(row, name)))
                    if changed:
                        row.save(update_fields=changed)
                        count += len(changed)
            record(count)
        self.drop_old_keys()
        return count
