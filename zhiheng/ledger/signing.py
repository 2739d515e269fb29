"""The district's Ed25519 checkpoint key, kept outside the database (settings.LEDGER_KEY_FILE).

The signed message (a "note", in the spirit of C2SP signed notes) is UTF-8 text:

    zhiheng-ledger/v1\n<size>\n<root, 64 lowercase hex>\n<timestamp, ISO 8601 seconds +08:00>\n

The key id is LEDGER_KEY_ID if set, else the first 16 hex digits of SHA-256(raw public key).

Key rotation. `generate(overwrite=True)` (`zhiheng ledger keygen --force`) first appends the retiring
key's public half to the key history file next to the key file (`<key file>.history`, one line per
retired key: `<key_id> <public key, 64 hex> <retired at, ISO 8601>`). The verifier's keyring is the
current key plus that history — both pinned on the server's disk, outside the database — and each
checkpoint is checked with the key(s) named by its key_id. Nothing in the database can add a key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from zhiheng.core.clock import SHANGHAI

NOTE_ORIGIN = "zhiheng-ledger/v1"


class KeyMissing(RuntimeError):
    pass


def checkpoint_message(size: int, root: bytes, timestamp: dt.datetime) -> bytes:
    return f"{NOTE_ORIGIN}\n{size}\n{root.hex()}\n{format_timestamp(timestamp)}\n".encode()


def format_timestamp(timestamp: dt.datetime) -> str:
    return timestamp.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def key_path() -> Path:
    return Path(settings.LEDGER_KEY_FILE)


def history_path(path: Path | None = None) -> Path:
    path = path or key_path()
    return path.with_name(path.name + ".history")


def generate(path: Path | None = None, *, overwrite: bool = False) -> Path:
    """Write a new private key (PKCS#8 PEM, mode 0600). Refuses to replace an existing key unless asked;
    a replaced key's public half is kept in the key history, so older checkpoints still verify."""
    path = path or key_path()
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; the district key is never replaced silently")
    if path.exists():
        _retire(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    _cache.clear()
    return path


_cache: dict[Path, Ed25519PrivateKey] = {}


def private_key() -> Ed25519PrivateKey:
    """The signing key. In development and tests a missing key is generated on first use."""
    path = key_path()
    if path not in _cache:
        if not path.exists():
            if getattr(settings, "ENVIRONMENT", "production") == "production":
                raise KeyMissing(f"ledger signing key {path} is missing: run `zhiheng ledger keygen`")
            generate(path)
        _cache[path] = _load_private(path)
    return _cache[path]


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_bytes(key: Ed25519PublicKey | None = None) -> bytes:
    key = key or public_key()
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey | None = None) -> str:
    return settings.LEDGER_KEY_ID or hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def sign(message: bytes) -> bytes:
    return private_key().sign(message)


def _load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyMissing(f"{path} is not an Ed25519 private key")
    return key


def _retire(path: Path) -> None:
    """Append the key at `path`'s public half to the history, before the key file is overwritten."""
    public = _load_private(path).public_key()
    moment = dt.datetime.now(tz=SHANGHAI).replace(microsecond=0).isoformat()
    line = f"{key_id(public)} {public_bytes(public).hex()} {moment}\n"
    with history_path(path).open("a", encoding="ascii") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())  # the old key must be on disk before the file that proves it is gone


def retired_keys(path: Path | None = None) -> list[tuple[str, bytes, str]]:
    """(key id, raw public key, retired at) of every retired key, oldest first."""
    history = history_path(path)
    if not history.exists():
        return []
    out = []
    for number, line in enumerate(history.read_text(encoding="ascii").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            kid, hexkey, retired = [*line.split(), ""][:3]
            raw = bytes.fromhex(hexkey)
            if len(raw) != 32:
                raise ValueError("not 32 bytes")
        except ValueError as exc:
            raise KeyMissing(f"{history}:{number}: unreadable key history line ({exc})") from exc
        out.append((kid, raw, retired))
    return out


def keyring() -> dict[str, list[Ed25519PublicKey]]:
    """Every public key a checkpoint may have been signed with, by key id: the current key first, then
    the retired ones, newest first (one id names several keys only if LEDGER_KEY_ID was kept across a
    rotation; a signature is then accepted under any of them)."""
    ring: dict[str, list[Ed25519PublicKey]] = {key_id(): [public_key()]}
    for kid, raw, _ in reversed(retired_keys()):
        ring.setdefault(kid, []).append(Ed25519PublicKey.from_public_bytes(raw))
    return ring
