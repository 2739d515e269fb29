"""Full verification of the stored log (R-LED-4) — pure Python over rows already loaded, no Django.

Given every entry row (index column, canonical bytes, stored leaf hash) in index order, the stored
subtree hashes, the head and the checkpoints, `verify_log` recomputes the tree from the entry bytes
and reports the first failure, classified so that each kind of tampering is told apart:

    deleted      a gap in the indices, or rows renumbered over a missing entry (bytes claim a later index)
    reordered    two rows hold each other's entries (each entry's bytes carry its own index)
    inserted     a row whose entry is foreign: it repeats an index another entry claims, or it lies
                 beyond the head that every append advances
    edited       an entry's bytes no longer hash to its stored leaf hash / the stored subtree hashes /
                 a signed checkpoint's root
    truncated    the log is shorter than the head or a signed checkpoint says it was
    forged-checkpoint  a checkpoint whose signature does not verify under the district key
    node-store   the stored subtree hashes are missing, extra or altered while the entries are intact
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import merkle
from .canonical import embedded_index, index_prefix


@dataclass(frozen=True)
class CheckpointRow:
    id: int
    size: int
    root: bytes
    message: bytes  # the exact signed bytes (signing.checkpoint_message)
    signature: bytes
    key_id: str


@dataclass
class Report:
    ok: bool
    entries: int
    checkpoints: int
    kind: str = ""
    position: int | None = None
    message: str = ""
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        if self.ok:
            return f"OK: {self.entries} entries, {self.checkpoints} checkpoints verified"
        where = f" at entry {self.position}" if self.position is not None else ""
        return f"FAILED ({self.kind}){where}: {self.message}"


class _Fail(Exception):
    def __init__(self, kind: str, position: int | None, message: str) -> None:
        super().__init__(message)
        self.kind, self.position, self.message = kind, position, message


def verify_log(
    *,
    indices: Sequence[int],
    datas: Sequence[bytes],
    leaves: Sequence[bytes],
    node_keys: Sequence[int],
    node_hashes: Sequence[bytes],
    head_size: int | None,
    head_frontier: bytes = b"",
    checkpoints: Sequence[CheckpointRow] = (),
    signature_ok: Callable[[CheckpointRow], bool] | None = None,
) -> Report:
    """Verify everything. `node_keys` (packed, ascending) and `node_hashes` are the stored subtree hashes;
    `signature_ok` checks one checkpoint."""
    n = len(datas)
    leaves, node_hashes = _as_list(leaves), _as_list(node_hashes)  # list == list comparisons below
    nodes = (node_keys, node_hashes)
    try:
        recomputed = _check_entries(indices, datas, leaves, nodes, head_frontier)
        _check_signatures(checkpoints, signature_ok)
        _check_extent(n, head_size, checkpoints)
        computed_levels = _check_nodes(recomputed, nodes)
        _check_roots(computed_levels, checkpoints)
    except _Fail as fail:
        return Report(False, n, len(checkpoints), fail.kind, fail.position, fail.message)
    return Report(True, n, len(checkpoints))


def _as_list(items: Sequence[bytes]) -> list[bytes]:
    return items if isinstance(items, list) else list(items)


def _check_entries(indices, datas, leaves, nodes, head_frontier) -> list[bytes]:
    n = len(datas)
    # The rows come ordered by a unique integer key, so first == 0 and last == n - 1 means 0..n-1 exactly.
    if n and (indices[0] != 0 or indices[-1] != n - 1):
        p = next(i for i, x in enumerate(indices) if x != i)
        if indices[p] > p:
            raise _Fail("deleted", p, f"entry {p} is missing: the log jumps from {p - 1} to {indices[p]}")
        raise _Fail("inserted", p, f"row {p} has index {indices[p]}, out of sequence")
    if not all(map(bytes.startswith, datas, map(index_prefix, range(n)))):
        p = next(i for i in range(n) if not datas[i].startswith(index_prefix(i)))
        _classify_misplaced(p, datas, nodes, head_frontier)
    sha = hashlib.sha256
    recomputed = [sha(b"\x00" + d).digest() for d in datas]
    if recomputed != leaves:
        p = next(i for i in range(n) if recomputed[i] != leaves[i])
        raise _Fail("edited", p, f"entry {p}'s bytes no longer hash to its stored leaf hash")
    return recomputed


def _classify_misplaced(p: int, datas, nodes, head_frontier) -> None:
    n = len(datas)
    claim = [embedded_index(d) for d in datas]
    e = claim[p]
    if e is None:
        raise _Fail("edited", p, f"row {p} does not hold a canonical entry")
    if p < e < n and claim[e] == p:
        raise _Fail("reordered", p, f"entries {p} and {e} are swapped")
    if e < p:
        # Two rows claim index e: the genuine one matches the stored tree, the other was inserted.
        rows = [i for i in range(max(0, e - 1), p + 1) if claim[i] == e]
        intruder = _intruder(e, rows, datas, claim, nodes, head_frontier)
        raise _Fail("inserted", intruder, f"rows {rows} all claim index {e}; row {intruder} was inserted")
    if p + 1 < n and claim[p + 1] == p:
        raise _Fail("inserted", p, f"row {p} holds a foreign entry; the entries after it are shifted by one")
    raise _Fail("deleted", p, f"entries {p}..{e - 1} are missing; later rows were renumbered")


def _intruder(e: int, rows: list[int], datas, claim, nodes, head_frontier) -> int:
    """Which of the rows claiming index e is not the entry the stored tree committed to."""
    sibling = e ^ 1
    stored = dict(zip(*nodes, strict=True))
    level1 = stored.get(merkle.pack_key(1, e >> 1))
    sibling_rows = [i for i, c in enumerate(claim) if c == sibling]
    for row in rows:
        leaf = merkle.leaf_hash(datas[row])
        if level1 is not None and sibling_rows:
            sib = merkle.leaf_hash(datas[sibling_rows[0]])
            pair = (leaf, sib) if e % 2 == 0 else (sib, leaf)
            if merkle.node_hash(*pair) == level1:
                return next(r for r in rows if r != row)
        elif head_frontier[-merkle.HASH_SIZE :] == leaf:
            return next(r for r in rows if r != row)
    return rows[0]


def _check_extent(n: int, head_size: int | None, checkpoints: Sequence[CheckpointRow]) -> None:
    signed = max((cp.size for cp in checkpoints), default=0)
    expected = max(signed, head_size or 0)
    if n < expected:
        source = "the head" if (head_size or 0) >= signed else "a signed checkpoint"
        raise _Fail("truncated", n, f"the log holds {n} entries but {source} records {expected}")
    if head_size is not None and n > head_size:
        raise _Fail("inserted", head_size, f"entries from {head_size} on were not appended through the head")


def _check_nodes(recomputed: list[bytes], nodes: tuple[Sequence[int], Sequence[bytes]]) -> list[list[bytes]]:
    keys, hashes = nodes
    computed = [recomputed]
    for _level, row in merkle.levels(recomputed):
        computed.append(row)
    expected = sum(len(row) for row in computed[1:])
    pos = 0
    for level, row in enumerate(computed[1:], start=1):
        count = len(row)
        # keys ascend and are unique: right first and last key of the level means every key is there
        ends = (keys[pos], keys[pos + count - 1]) if pos + count <= len(keys) else (None, None)
        if ends != (merkle.pack_key(level, 0), merkle.pack_key(level, count - 1)):
            present = set(keys)
            i = next((i for i in range(count) if merkle.pack_key(level, i) not in present), None)
            if i is not None:
                raise _Fail("node-store", i << level, f"stored subtree hash ({level}, {i}) is missing")
            raise _Fail("node-store", None, f"stored subtree hashes of level {level} are out of place")
        if hashes[pos : pos + count] != row:
            i = next(i for i in range(count) if hashes[pos + i] != row[i])
            first, last = i << level, ((i + 1) << level) - 1
            raise _Fail(
                "edited",
                first,
                f"entries {first}..{last} no longer hash to stored subtree ({level}, {i}): "
                f"an entry there was rewritten together with its leaf hash, or the subtree hash was",
            )
        pos += count
    if len(keys) != expected:
        raise _Fail("node-store", None, f"{len(keys) - expected} stored subtree hashes beyond the log")
    return computed


def _check_signatures(checkpoints, signature_ok) -> None:
    for cp in checkpoints:
        if signature_ok is not None and not signature_ok(cp):
            raise _Fail(
                "forged-checkpoint", None, f"checkpoint #{cp.id} (size {cp.size}): signature does not verify"
            )


def _check_roots(computed_levels, checkpoints) -> None:
    def get(key: merkle.Key) -> bytes:
        level, index = key
        return computed_levels[level][index]

    for cp in checkpoints:
        if merkle.root(cp.size, get) != cp.root:
            raise _Fail(
                "edited",
                None,
                f"the first {cp.size} entries no longer hash to checkpoint #{cp.id}'s signed root",
            )
