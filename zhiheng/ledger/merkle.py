"""RFC 9162 Merkle tree hashing, proofs and their verification — pure Python, no Django.

Terms (RFC 9162 §2.1):
    leaf hash  = SHA-256(0x00 ‖ entry bytes)
    node hash  = SHA-256(0x01 ‖ left ‖ right)
    MTH of n > 1 leaves splits at k, the largest power of two smaller than n.
    MTH of the empty tree = SHA-256("").

Storage model. Every *perfect aligned subtree* — the 2**level leaves starting at index * 2**level — has
a key (level, index). Level 0 are the leaf hashes. The store keeps every complete one, written when
its last leaf is appended, so it never changes afterwards. Any range that RFC 9162's recursion asks
for — the whole tree, a proof's sibling — is a run of at most log2(n) such subtrees, so a root, an
inclusion proof or a consistency proof reads O(log n) stored hashes and never scans the log.

The functions that read the store take `get`, a mapping/callable (level, index) -> 32-byte hash; the
`*_keys` functions say in advance which keys a computation will read, so a database caller can fetch
them all in one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
INDEX_BITS = 48  # node keys pack (level, index) as level << 48 | index

Key = tuple[int, int]  # (level, index)
Getter = Callable[[Key], bytes]

_sha256 = hashlib.sha256


def leaf_hash(entry: bytes) -> bytes:
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def pack_key(level: int, index: int) -> int:
    return (level << INDEX_BITS) | index


def unpack_key(key: int) -> Key:
    return key >> INDEX_BITS, key & ((1 << INDEX_BITS) - 1)


# --- ranges as runs of perfect subtrees ------------------------------------------------------------


def perfect_subtrees(start: int, end: int) -> list[Key]:
    """The perfect aligned subtrees that tile leaves [start, end), largest first.

    For the ranges RFC 9162's recursion produces (start aligned to a power of two at least end-start,
    or start = 0), MTH(D[start:end]) is the right fold of these subtrees' hashes.
    """
    keys: list[Key] = []
    while start < end:
        size = end - start
        level = size.bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """Right fold: H(h0, H(h1, ... H(h_{k-2}, h_{k-1})))."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def _lookup(get: Getter | dict[Key, bytes]) -> Getter:
    return get.__getitem__ if isinstance(get, dict) else get


def range_hash(start: int, end: int, get: Getter | dict[Key, bytes]) -> bytes:
    g = _lookup(get)
    return fold([g(k) for k in perfect_subtrees(start, end)])


def root(size: int, get: Getter | dict[Key, bytes]) -> bytes:
    """MTH of the first `size` leaves."""
    return range_hash(0, size, get)


# --- proofs: which ranges, then which keys ---------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.3.1 PATH(m, D[n]) as the leaf ranges whose MTHs form the proof, leaf upwards."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    out: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()
    return out


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """RFC 9162 §2.1.4.1 PROOF(m, D[n]) as leaf ranges, in proof order. Empty for m = 0 or m = n."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    if first in (0, second):
        return []
    out: list[tuple[int, int]] = []
    start, end, m, complete = 0, second, first, True
    while True:
        if m == end - start:
            if not complete:
                out.append((start, end))
            break
        k = split_point(end - start)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m, complete = start + k, m - k, False
    out.reverse()
    return out


def keys_for(ranges: Iterable[tuple[int, int]]) -> set[Key]:
    return {key for start, end in ranges for key in perfect_subtrees(start, end)}


def inclusion_proof(index: int, size: int, get: Getter | dict[Key, bytes]) -> list[bytes]:
    return [range_hash(s, e, get) for s, e in inclusion_ranges(index, size)]


def consistency_proof(first: int, second: int, get: Getter | dict[Key, bytes]) -> list[bytes]:
    return [range_hash(s, e, get) for s, e in consistency_ranges(first, second)]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -------------------------------------------------


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root that `proof` proves `leaf` is under, or None if the proof has the wrong shape."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    return root_from_inclusion(index, size, leaf, proof) == expected_root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- maintenance at append time --------------------------------------------------------------------


def frontier_levels(size: int) -> list[int]:
    """Levels of the perfect subtrees tiling [0, size), largest first (the set bits of size)."""
    return [level for level in range(size.bit_length() - 1, -1, -1) if size >> level & 1]


def append_leaf(
    size: int, frontier: list[bytes], leaf: bytes
) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Append leaf number `size` to a tree whose frontier (perfect subtree hashes, largest first) is given.

    Returns the new frontier and the newly completed subtrees (level >= 1, index, hash) to store.
    """
    frontier = [*frontier, leaf]
    completed: list[tuple[int, int, bytes]] = []
    n, level = size + 1, 0
    while n >> level & 1 == 0:  # each trailing zero bit of the new size merges two equal subtrees
        right = frontier.pop()
        left = frontier.pop()
        level += 1
        merged = node_hash(left, right)
        frontier.append(merged)
        completed.append((level, (n >> level) - 1, merged))
    return frontier, completed


def pack_frontier(frontier: Sequence[bytes]) -> bytes:
    return b"".join(frontier)


def unpack_frontier(blob: bytes) -> list[bytes]:
    return [bytes(blob[i : i + HASH_SIZE]) for i in range(0, len(blob), HASH_SIZE)]


def levels(leaves: Sequence[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """Every complete perfect subtree, level by level from 1: (level, hashes in index order).

    This is the whole-log recomputation used by verification: n - 1 node hashes for n leaves.
    """
    level, row = 0, list(leaves)
    sha = _sha256
    while len(row) >= 2:
        level += 1
        row = [sha(b"\x01" + a + b).digest() for a, b in zip(row[0::2], row[1::2], strict=False)]
        yield level, row
