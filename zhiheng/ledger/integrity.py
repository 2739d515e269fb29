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
    forged-checkpoint  a checkpoint whose signature does not verify under the district key its key_id names
    node-store   the stored subtree hashes are missing, extra or altered while the entries are intact
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import merkle, treecheck
from .canonical import embedded_index


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
    workers: int = 1,
    chunk_level: int = treecheck.CHUNK_LEVEL,
) -> Report:
    """Verify everything. `node_keys` (packed, ascending) and `node_hashes` are the stored subtree hashes;
    `signature_ok` checks one checkpoint. The hashing runs in `workers` processes (treecheck.py); the
    report is the same for any number of workers. `report.extra["workers"]` says how many were used."""
    n = len(datas)
    datas, leaves, node_hashes = _as_list(datas), _as_list(leaves), _as_list(node_hashes)
    nodes = (node_keys, node_hashes)
    used = 1
    try:
        _check_indices(indices, n)
        offsets, bad_level = treecheck.node_offsets(node_keys, n)
        chunks, used = treecheck.check_chunks(
            datas, leaves, node_hashes, offsets, chunk_level=chunk_level, workers=workers
        )
        _check_entries(chunks, datas, nodes, head_frontier)
        _check_signatures(checkpoints, signature_ok)
        _check_extent(n, head_size, checkpoints)
        _check_nodes(chunks, chunk_level, offsets, bad_level, nodes, n)
        _check_roots(offsets, leaves, node_hashes, checkpoints)
    except _Fail as fail:
        return Report(
            False, n, len(checkpoints), fail.kind, fail.position, fail.message, extra={"workers": used}
        )
    return Report(True, n, len(checkpoints), extra={"workers": used})


def _as_list(items: Sequence[bytes]) -> list[bytes]:
    return items if isinstance(items, list) else list(items)


def _check_indices(indices: Sequence[int], n: int) -> None:
    # The rows come ordered by a unique integer key, so first == 0 and last == n - 1 means 0..n-1 exactly.
    if n and (indices[0] != 0 or indices[-1] != n - 1):
        p = next(i for i, x in enumerate(indices) if x != i)
        if indices[p] > p:
            raise _Fail("deleted", p, f"entry {p} is missing: the log jumps from {p - 1} to {indices[p]}")
        raise _Fail("inserted", p, f"row {p} has index {indices[p]}, out of sequence")


def _check_entries(chunks: list[treecheck.ChunkResult], datas, nodes, head_frontier) -> None:
    """The first misplaced entry (in index order), else the first whose bytes fail its leaf hash."""
    p = next((c.prefix_bad for c in chunks if c.prefix_bad is not None), None)
    if p is not None:
        _classify_misplaced(p, datas, nodes, head_frontier)
    p = next((c.leaf_bad for c in chunks if c.leaf_bad is not None), None)
    if p is not None:
        raise _Fail("edited", p, f"entry {p}'s bytes no longer hash to its stored leaf hash")


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


def _check_nodes(chunks, chunk_level: int, offsets, bad_level: int | None, nodes, n: int) -> None:
    """Level by level from 1: the stored keys are all there, then the stored hashes equal the recomputed."""
    keys, hashes = nodes
    size = 1 << chunk_level
    tops = [c.top for c in chunks if c.end - c.start == size]
    above = treecheck.upper_levels(tops, chunk_level, hashes, offsets) if len(tops) > 1 else {}
    level = 1
    while n >> level:
        if level == bad_level:
            count, present = n >> level, set(keys)
            i = next((i for i in range(count) if merkle.pack_key(level, i) not in present), None)
            if i is not None:
                raise _Fail("node-store", i << level, f"stored subtree hash ({level}, {i}) is missing")
            raise _Fail("node-store", None, f"stored subtree hashes of level {level} are out of place")
        if level <= chunk_level:
            i = next((c.node_bad[level] for c in chunks if level in c.node_bad), None)
        else:
            i = above.get(level)
        if i is not None:
            first, last = i << level, ((i + 1) << level) - 1
            raise _Fail(
                "edited",
                first,
                f"entries {first}..{last} no longer hash to stored subtree ({level}, {i}): "
                f"an entry there was rewritten together with its leaf hash, or the subtree hash was",
            )
        level += 1
    expected = n - n.bit_count()  # n - 1 nodes for n = 2^k; in general the sum of n >> level
    if len(keys) != expected:
        raise _Fail("node-store", None, f"{len(keys) - expected} stored subtree hashes beyond the log")


def _check_signatures(checkpoints, signature_ok) -> None:
    for cp in checkpoints:
        if signature_ok is not None and not signature_ok(cp):
            raise _Fail(
                "forged-checkpoint", None, f"checkpoint #{cp.id} (size {cp.size}): signature does not verify"
            )


def _check_roots(offsets, leaves, node_hashes, checkpoints) -> None:
    # Reached only when every stored leaf and subtree hash equals its recomputed value, so the stored
    # ones can be read: each checkpoint's root is a fold of at most log2(n) of them.
    def get(key: merkle.Key) -> bytes:
        level, index = key
        return leaves[index] if level == 0 else node_hashes[offsets[level] + index]

    for cp in checkpoints:
        if merkle.root(cp.size, get) != cp.root:
            raise _Fail(
                "edited",
                None,
                f"the first {cp.size} entries no longer hash to checkpoint #{cp.id}'s signed root",
            )
