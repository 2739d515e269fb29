"""Receipt codes and passphrases (R-SUP-3): what a reporter writes down to come back. Pure: no queries.

A receipt is 20 symbols of Crockford's base32 (32 symbols without I, L, O, U, so it reads aloud and copies by
hand without confusion; a mistyped O/I/L is read as 0/1/1) drawn by `secrets`: 20 × log2(32) = 100 bits,
shown as five groups of four. Only its SHA-256 is stored — a preimage of 100 random bits is out of reach, so a
dump of the database gives no way back to the codes — and the look-up by digest is an index, not a scan.

The passphrase is a second secret: given (16 symbols of the same alphabet, 80 bits) or chosen (at least
PASSPHRASE_MIN characters). It is stored as a salted scrypt hash and compared in constant time; a receipt
that matches no report is still checked against a dummy hash, so a miss takes the time of a hit.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
GROUPS, GROUP = 5, 4
PASSPHRASE_GROUPS = 4
PASSPHRASE_MIN = 10
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_N, _R, _P = 2**14, 8, 1


def entropy_bits(alphabet: str = ALPHABET, length: int = GROUPS * GROUP) -> float:
    return length * math.log2(len(set(alphabet)))


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def new_receipt() -> str:
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP)))


def new_passphrase() -> str:
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(PASSPHRASE_GROUPS * GROUP)))


def normal(receipt: str) -> str:
    """The receipt as typed, without spaces or dashes, upper case, O/I/L read as 0/1/1."""
    return "".join(c for c in receipt.upper() if c.isalnum()).translate(_READS_AS)


def digest(receipt: str) -> str:
    return hashlib.sha256(normal(receipt).encode()).hexdigest()


def _scrypt(passphrase: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    return hashlib.scrypt(
        passphrase.strip().encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def hash_passphrase(passphrase: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${_scrypt(passphrase, salt).hex()}"


_DUMMY = hash_passphrase(secrets.token_hex(16))


def check_passphrase(passphrase: str, stored: str | None) -> bool:
    """Constant time; `stored` None (no such receipt) costs the same scrypt as a real check."""
    _, n, r, p, salt, expected = (stored or _DUMMY).split("$")
    found = _scrypt(passphrase, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(found, bytes.fromhex(expected)) and stored is not None
