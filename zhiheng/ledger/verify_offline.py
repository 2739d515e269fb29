"""Offline verification of a ledger proof — one file, standard library + `cryptography`, no Django.

An inspector copies this file, fetches a checkpoint, an entry and its inclusion proof (API.md), and
runs:  python verify_offline.py bundle.json --public-key <64 hex>      (or `zhiheng ledger verify-proof`)

bundle.json:
  {"checkpoint": {"size", "root", "timestamp", "signature", "key_id"},   # GET /api/v1/ledger/checkpoint
   "entry":      {"index", "entry", "leaf_hash"},                        # GET /api/v1/ledger/entries/{i}
   "proof":      {"index", "size", "hashes"},                            # GET .../proofs/inclusion
   "public_key": "<64 hex>",                                             # optional, else --public-key
   "public_keys": {"<key_id>": "<64 hex>" or ["<64 hex>", ...]},         # optional: after key rotation
   "previous":      {checkpoint}, "consistency": {"first","second","hashes"}}   # optional pair
The algorithm and byte formats are in docs/ledger.md; this file is the reference implementation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any

ORIGIN = "zhiheng-ledger/v1"


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(entry: bytes) -> bytes:
    return _h(b"\x00" + entry)


def node_hash(left: bytes, right: bytes) -> bytes:
    return _h(b"\x01" + left + right)


def inclusion_root(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, path: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2 (size 0 is consistent with everything; equal sizes need equal roots)."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path
    if first & (first - 1) == 0:
        path = [first_root, *path]
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def checkpoint_message(cp: dict[str, Any]) -> bytes:
    return f"{ORIGIN}\n{int(cp['size'])}\n{cp['root'].lower()}\n{cp['timestamp']}\n".encode()


def signature_valid(cp: dict[str, Any], public_key_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    try:
        key.verify(bytes.fromhex(cp["signature"]), checkpoint_message(cp))
    except InvalidSignature:
        return False
    return True


def keys_for(cp: dict[str, Any], key: str | None, keys: dict[str, Any] | None) -> list[str]:
    """The public key(s) to check `cp` with: those its key_id names in `keys` (the district's current
    and retired keys, after a rotation), else the one given key."""
    if keys:
        key_id: Any = cp.get("key_id")  # whatever the bundle's JSON holds (None when absent)
        named = keys.get(key_id, [])
        return [named] if isinstance(named, str) else list(named)
    return [key] if key else []


def verify_bundle(
    bundle: dict[str, Any], public_key_hex: str | None = None, public_keys: dict[str, Any] | None = None
) -> list[str]:
    """Every check on the bundle; returns the failures (empty means verified)."""
    failures: list[str] = []
    try:
        key = public_key_hex or bundle.get("public_key")
        keys = public_keys or (None if public_key_hex else bundle.get("public_keys"))
        cp, entry, proof = bundle["checkpoint"], bundle["entry"], bundle["proof"]
        candidates = keys_for(cp, key, keys)
        if not candidates:
            failures.append(f"no public key for key id {cp.get('key_id')!r}: the signature cannot be checked")
        elif not any(signature_valid(cp, k) for k in candidates):
            failures.append("checkpoint signature does not verify")
        data = entry["entry"].encode("utf-8")
        leaf = leaf_hash(data)
        if leaf.hex() != entry["leaf_hash"].lower():
            failures.append("entry bytes do not hash to the given leaf_hash")
        claimed = json.loads(data).get("index")
        index, size = int(proof["index"]), int(proof["size"])
        if claimed != index or int(entry["index"]) != index:
            failures.append(f"entry claims index {claimed}, proof is for index {index}")
        if size != int(cp["size"]):
            failures.append(f"proof is for tree size {size}, checkpoint is for {cp['size']}")
        path = [bytes.fromhex(h) for h in proof["hashes"]]
        if inclusion_root(index, size, leaf, path) != bytes.fromhex(cp["root"]):
            failures.append("inclusion proof does not lead to the checkpoint's root")
        if "consistency" in bundle:
            prev, cons = bundle["previous"], bundle["consistency"]
            if not any(signature_valid(prev, k) for k in keys_for(prev, key, keys)):
                failures.append("previous checkpoint signature does not verify")
            if (int(cons["first"]), int(cons["second"])) != (int(prev["size"]), int(cp["size"])):
                failures.append("consistency proof sizes do not match the two checkpoints")
            elif not consistent(
                int(prev["size"]),
                int(cp["size"]),
                bytes.fromhex(prev["root"]),
                bytes.fromhex(cp["root"]),
                [bytes.fromhex(h) for h in cons["hashes"]],
            ):
                failures.append("the newer checkpoint does not extend the previous one")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        failures.append(f"malformed bundle: {exc!r}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Zhiheng ledger proof bundle offline.")
    parser.add_argument("bundle", nargs="?", default="-", help="JSON file, or - for stdin")
    parser.add_argument("--public-key", help="the district's Ed25519 public key, 64 hex digits")
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="KEY_ID=HEX",
        help="a district key by its id (repeat for retired keys); each checkpoint uses the one it names",
    )
    args = parser.parse_args(argv)
    keys: dict[str, list[str]] = {}
    for item in args.key:
        kid, _, hexkey = item.partition("=")
        keys.setdefault(kid, []).append(hexkey)
    text = sys.stdin.read() if args.bundle == "-" else open(args.bundle, encoding="utf-8").read()  # noqa: SIM115
    failures = verify_bundle(json.loads(text), args.public_key, keys or None)
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK: entry is in the signed tree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
