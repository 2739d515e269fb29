"""Checkpoints witnessed outside the database: the witness file log and the witness pushes.

The database holds the log, its subtree hashes, its head and its checkpoints: someone who can write to
it can rewrite an entry, rehash everything above it and delete the checkpoints that would betray the
rewrite (issue 10, finding 4). So every checkpoint, once its transaction has committed, is also:

1. appended to the **witness log** (settings.LEDGER_WITNESS_LOG, default var/ledger/witness.log, next to
   the key): one JSON line per checkpoint, opened O_APPEND, written under an exclusive lock, fsynced. A
   line carries the signed checkpoint (size, root, timestamp, key id, signature), the leaf hashes
   appended since the previous line (so a rewrite is located to the entry) and `prev`, the SHA-256 of
   the previous line — the file is itself a chain: a line edited or removed in the middle breaks it.
2. pushed to the **witnesses** (settings.LEDGER_WITNESSES, comma-separated URLs): other servers — the
   district commission's, a second Zhiheng — that accept `POST /api/v1/ledger/witness` with the signed
   checkpoint, check it with the district's public key they were given, check that it extends the last
   one they hold (a consistency proof, as Certificate Transparency's witnesses do) and append it to
   their own witness log. A failed push is retried by the periodic job (tasks.checkpoint_if_due).

`zhiheng ledger verify` reads the witness log (verification.verify_log, `witnessed=`): every witnessed
checkpoint must be a prefix of the stored log — same root at its size — and must still be in the
database; the log must not be shorter than the largest witnessed size; and it reports how many entries
(and how long) have not been witnessed yet.

Line format (JSON, sorted keys, no whitespace, UTF-8; one line per checkpoint, "\\n"-terminated):

    {"from":<size of the previous own line, or null>,"key_id":"…","leaves":"<hex of the leaf hashes of
     entries from..size-1, or absent>","origin":"…","prev":"<64 hex: SHA-256 of the previous line's
     bytes, 64 zeros for the first>","root":"<64 hex>","signature":"<128 hex>","size":<n>,
     "timestamp":"<as signed>","v":1}
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from . import merkle

log = logging.getLogger(__name__)

GENESIS = "0" * 64
LINE_VERSION = 1
# A line names the leaf hashes appended since the previous line unless there are more than this many
# (the first line written by an installation upgraded with a long log): then the rewrite is located to
# the range between two witnessed checkpoints, not to the entry.
MAX_LEAVES_PER_LINE = 1 << 16


@dataclass(frozen=True)
class Line:
    """One parsed line of a witness log."""

    number: int  # 1-based line number in the file
    origin: str
    size: int
    root: bytes
    timestamp: str
    key_id: str
    signature: bytes
    first: int | None  # the leaves cover entries [first, size)
    leaves: list[bytes] | None
    raw: bytes  # the line's bytes, without the newline

    @property
    def message(self) -> bytes:
        return f"zhiheng-ledger/v1\n{self.size}\n{self.root.hex()}\n{self.timestamp}\n".encode()

    def checkpoint_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "root": self.root.hex(),
            "timestamp": self.timestamp,
            "signature": self.signature.hex(),
            "key_id": self.key_id,
        }


@dataclass
class Read:
    """A witness log as read: its lines, and what is wrong with the file itself."""

    path: str
    lines: list[Line]
    broken: str = ""  # a line edited, removed or unreadable (the chain breaks there)
    broken_line: int | None = None
    torn_tail: bool = False  # a last line without its newline (a crash mid-write): ignored


def log_path() -> Path | None:
    """The witness log file, or None if switched off (the test settings switch it off: the test database
    is rolled back after each test, a file is not; the ledger's own tests give each test its own file)."""
    value = getattr(settings, "LEDGER_WITNESS_LOG", "")
    return Path(value) if value else None


def origin() -> str:
    return getattr(settings, "LEDGER_ORIGIN", "") or "zhiheng"


def witnesses() -> list[str]:
    value = getattr(settings, "LEDGER_WITNESSES", "") or ""
    if isinstance(value, list | tuple):
        return [str(u).strip() for u in value if str(u).strip()]
    return [u.strip() for u in value.split(",") if u.strip()]


def line_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def encode(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def parse_line(number: int, raw: bytes) -> Line:
    obj = json.loads(raw)
    if not isinstance(obj, dict) or obj.get("v") != LINE_VERSION:
        raise ValueError("not a version-1 witness line")
    root, signature = bytes.fromhex(obj["root"]), bytes.fromhex(obj["signature"])
    if len(root) != merkle.HASH_SIZE or len(signature) != 64:
        raise ValueError("root or signature of the wrong length")
    size = obj["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("size is not a non-negative integer")
    first, leaves = obj.get("from"), None
    if obj.get("leaves") is not None and isinstance(first, int):
        blob = bytes.fromhex(obj["leaves"])
        leaves = [blob[i : i + merkle.HASH_SIZE] for i in range(0, len(blob), merkle.HASH_SIZE)]
        if len(blob) % merkle.HASH_SIZE or len(leaves) != size - first or first < 0:
            raise ValueError("leaf hashes do not cover from..size")
    return Line(
        number=number,
        origin=str(obj.get("origin", "")),
        size=size,
        root=root,
        timestamp=str(obj["timestamp"]),
        key_id=str(obj["key_id"]),
        signature=signature,
        first=first if leaves is not None else None,
        leaves=leaves,
        raw=raw,
    )


def read(path: Path | str | None = None) -> Read | None:
    """Parse a witness log and check its chain. None if there is no log (switched off or never written)."""
    path = Path(path) if path is not None else log_path()
    if path is None or not path.exists():
        return None
    data = path.read_bytes()
    out = Read(str(path), [])
    chunks = data.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()
    elif chunks:
        out.torn_tail = True
        chunks.pop()
    prev = GENESIS
    for number, raw in enumerate(chunks, start=1):
        try:
            line = parse_line(number, raw)
            if json.loads(raw).get("prev") != prev:
                raise ValueError(
                    "its prev is not the hash of the line before it: a line was edited or removed"
                )
        except (ValueError, KeyError, TypeError) as exc:
            out.broken, out.broken_line = f"{path}:{number}: {exc}", number
            return out
        out.lines.append(line)
        prev = line_hash(raw)
    return out


def _backwards(fd: int) -> Iterator[bytes]:
    """The complete lines of the file open at `fd`, last first (read in blocks from the end)."""
    pos = os.lseek(fd, 0, os.SEEK_END)
    buffer = b""
    if pos and os.pread(fd, 1, pos - 1) != b"\n":  # a torn last line: not a line
        while pos and b"\n" not in buffer:
            step = min(65536, pos)
            pos -= step
            buffer = os.pread(fd, step, pos) + buffer
        buffer = buffer[: buffer.rfind(b"\n") + 1] if b"\n" in buffer else b""
    while True:
        body = buffer[:-1] if buffer.endswith(b"\n") else buffer
        cut = body.rfind(b"\n")
        if cut >= 0:
            yield body[cut + 1 :]
            buffer = body[: cut + 1]
            continue
        if pos == 0:
            if body:
                yield body
            return
        step = min(65536, pos)
        pos -= step
        buffer = os.pread(fd, step, pos) + buffer


def _drop_torn_tail(fd: int) -> None:
    """A line cut off by a crash mid-write was never a witnessed checkpoint: cut it off before appending,
    so the next line does not run into it."""
    end = os.lseek(fd, 0, os.SEEK_END)
    if not end or os.pread(fd, 1, end - 1) == b"\n":
        return
    pos = end
    while pos:
        step = min(65536, pos)
        pos -= step
        block = os.pread(fd, step, pos)
        cut = block.rfind(b"\n")
        if cut >= 0:
            os.ftruncate(fd, pos + cut + 1)
            return
    os.ftruncate(fd, 0)


def _last_of(fd: int, origin_name: str) -> tuple[bytes | None, Line | None]:
    """The last line's bytes, and the last line of `origin_name`, read from the end of the file."""
    last, mine = None, None
    for raw in _backwards(fd):
        if last is None:
            last = raw
        with contextlib.suppress(ValueError, KeyError, TypeError):
            line = parse_line(0, raw)
            if line.origin == origin_name:
                mine = line
                break
    return last, mine


def append(
    checkpoint: dict[str, Any],
    *,
    origin_name: str,
    leaves_for: Callable[[int, int], list[bytes]] | None = None,
    path: Path | None = None,
) -> bool:
    """Append one checkpoint to the witness log (O_APPEND, exclusive lock, fsync). Returns False when the
    log is switched off or already holds this or a later checkpoint of the same origin.

    `leaves_for(first, size)` gives the leaf hashes of entries [first, size), first being the size of
    this origin's previous line; they are written with the line when there are few enough.
    """
    path = path or log_path()
    if path is None:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _drop_torn_tail(fd)
        last, previous = _last_of(fd, origin_name)
        prev = line_hash(last) if last else GENESIS
        size = int(checkpoint["size"])
        if previous is not None and previous.size >= size:
            # A checkpoint committed earlier but written later (two processes racing), or a repeat:
            # the witness log only grows, so the later, larger one stands for it.
            return False
        fields: dict[str, Any] = {
            "v": LINE_VERSION,
            "origin": origin_name,
            "size": size,
            "root": checkpoint["root"],
            "timestamp": checkpoint["timestamp"],
            "key_id": checkpoint["key_id"],
            "signature": checkpoint["signature"],
            "prev": prev,
            "from": previous.size if previous is not None else 0,
        }
        first = fields["from"]
        if leaves_for is not None and size - first <= MAX_LEAVES_PER_LINE:
            fields["leaves"] = b"".join(leaves_for(first, size)).hex()
        os.write(fd, encode(fields) + b"\n")
        os.fsync(fd)
        return True
    finally:
        os.close(fd)  # releases the lock


def _last_of_origin(path: Path, origin_name: str) -> Line | None:
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        return _last_of(fd, origin_name)[1]
    finally:
        os.close(fd)


def last_own(path: Path | None = None) -> Line | None:
    """The last checkpoint this server wrote to its witness log."""
    path = path or log_path()
    return _last_of_origin(path, origin()) if path is not None else None


# --- pushes to other servers ---------------------------------------------------------------------

Post = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]


def http_post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST JSON to a witness (the intranet's other servers; never called in tests)."""
    request = urllib.request.Request(  # noqa: S310 - URLs come from settings, not from users
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        with contextlib.suppress(ValueError):
            return exc.code, json.loads(exc.read() or b"{}")
        return exc.code, {}


def push_one(
    url: str,
    line: Line,
    consistency: Callable[[int, int], list[bytes]],
    post: Post = http_post,
) -> tuple[bool, str]:
    """Push one checkpoint to one witness. A witness holding an older checkpoint of ours answers 409 with
    its size; the push is repeated once with a consistency proof from that size."""
    body = {"origin": line.origin, **line.checkpoint_json()}
    try:
        status, answer = post(url, body)
        witnessed = _refusal(answer).get("detail", {}).get("witnessed_size")
        if status == 409 and isinstance(witnessed, int):
            first = witnessed
            if first > line.size:
                return (
                    False,
                    f"{url}: the witness holds a larger checkpoint ({first}) than ours ({line.size})",
                )
            body["consistency"] = {"first": first, "hashes": [h.hex() for h in consistency(first, line.size)]}
            status, answer = post(url, body)
    except (OSError, ValueError) as exc:
        return False, f"{url}: {exc}"
    if 200 <= status < 300:
        return True, f"{url}: {answer.get('status', 'ok')}"
    return False, f"{url}: HTTP {status} {_refusal(answer).get('message', '')}".rstrip()


def _refusal(answer: Any) -> dict[str, Any]:
    """A witness's refusal as {"rule", "message", "detail"}: API.md's error shape, or flat (older ones)."""
    error = answer.get("error", answer) if isinstance(answer, dict) else {}
    if not isinstance(error, dict):
        return {}
    detail = error.get("detail", error)
    return {**error, "detail": detail if isinstance(detail, dict) else {}}


def push_all(
    consistency: Callable[[int, int], list[bytes]], post: Post = http_post
) -> list[tuple[bool, str]]:
    """Push the latest own witnessed checkpoint to every configured witness; returns (ok, note) per witness."""
    urls = witnesses()
    line = last_own() if urls else None
    if line is None:
        return []
    results = [push_one(url, line, consistency, post) for url in urls]
    for ok, note in results:
        (log.info if ok else log.warning)("ledger witness push %s", note)
    return results


# --- receiving (the other side of a push) ---------------------------------------------------------


def trusted_keys() -> dict[str, list[bytes]]:
    """The origins this server witnesses and their public keys: LEDGER_WITNESS_TRUSTED is
    "name=hex,name=hex" (a name repeated for a district's retired keys)."""
    value = getattr(settings, "LEDGER_WITNESS_TRUSTED", "") or ""
    out: dict[str, list[bytes]] = {}
    for item in value.split(","):
        name, _, hexkey = item.strip().partition("=")
        if name and hexkey:
            out.setdefault(name.strip(), []).append(bytes.fromhex(hexkey.strip()))
    return out


class Refused(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def receive(body: dict[str, Any]) -> str:
    """Witness a checkpoint pushed by another server: signed by a key configured for its origin, and
    extending (consistency proof) the last checkpoint of that origin held here. Appends it to this
    server's witness log. Returns "appended" or "already-witnessed"; raises Refused otherwise."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        name = str(body["origin"])
        size, root = int(body["size"]), bytes.fromhex(body["root"])
        signature, timestamp, key_id = (
            bytes.fromhex(body["signature"]),
            str(body["timestamp"]),
            str(body["key_id"]),
        )
        if size < 0 or len(root) != merkle.HASH_SIZE or len(signature) != 64 or "\n" in timestamp:
            raise ValueError("malformed")
    except (KeyError, TypeError, ValueError) as exc:
        raise Refused(422, f"malformed checkpoint: {exc}") from exc
    keys = trusted_keys().get(name)
    if not keys:
        raise Refused(403, f"origin {name!r} is not witnessed here")
    message = f"zhiheng-ledger/v1\n{size}\n{root.hex()}\n{timestamp}\n".encode()
    for raw in keys:
        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
            break
        except (InvalidSignature, ValueError):
            continue
    else:
        raise Refused(403, "the signature does not verify under the keys configured for this origin")
    path = log_path()
    if path is None:
        raise Refused(503, "this server keeps no witness log")
    previous = _last_of_origin(path, name)
    if previous is not None:
        if size < previous.size or (size == previous.size and root != previous.root):
            log.error(
                "ledger witness: %s pushed size %s, which contradicts witnessed size %s",
                name,
                size,
                previous.size,
            )
            raise Refused(
                409,
                "this checkpoint contradicts one already witnessed (a fork)",
                witnessed_size=previous.size,
            )
        if size == previous.size:
            return "already-witnessed"
        proof = body.get("consistency") or {}
        try:
            first = int(proof.get("first", -1))
            hashes = [bytes.fromhex(h) for h in proof.get("hashes", [])]
        except (TypeError, ValueError):
            first, hashes = -1, []
        if first != previous.size:
            raise Refused(
                409, "send a consistency proof from the witnessed size", witnessed_size=previous.size
            )
        if not merkle.verify_consistency(previous.size, size, previous.root, root, hashes):
            log.error(
                "ledger witness: %s pushed size %s, not consistent with witnessed size %s",
                name,
                size,
                previous.size,
            )
            raise Refused(409, "the consistency proof does not verify (a fork)", witnessed_size=previous.size)
    checkpoint = {
        "size": size,
        "root": root.hex(),
        "timestamp": timestamp,
        "key_id": key_id,
        "signature": signature.hex(),
    }
    append(checkpoint, origin_name=name)
    return "appended"
