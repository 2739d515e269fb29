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
    checkpoint-deleted  a checkpoint in the witness log (outside the database) is no longer in the database
    witness-log  the witness log itself is broken (a line edited or removed: its hash chain breaks)
    fork         two witnessed checkpoints that cannot both be prefixes of one log

Checkpoints witnessed outside the database (witness.py) are checked like the stored ones, so a rewrite
that also rehashed everything and deleted the stored checkpoints still fails: the log is shorter than a
witnessed size (truncated) or no longer hashes to a witnessed root (edited). A root that no longer
matches is *located*: between the last signed checkpoint that still matches and the first that does not,
and — with the leaf hashes the witness log keeps — to the entry ("entry #N").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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


@dataclass(frozen=True)
class WitnessRow:
    """A checkpoint read from a witness log (line number), with the leaf hashes the line carries."""

    line: int
    size: int
    root: bytes
    message: bytes
    signature: bytes
    key_id: str
    first: int | None = None  # `leaves` are the leaf hashes of entries [first, size)
    leaves: Sequence[bytes] | None = None


class Signed(Protocol):
    """What a signature check reads of a checkpoint, stored (CheckpointRow) or witnessed (WitnessRow)."""

    @property
    def key_id(self) -> str: ...
    @property
    def message(self) -> bytes: ...
    @property
    def signature(self) -> bytes: ...


SignatureCheck = Callable[[Signed], bool]
Nodes = tuple[Sequence[int], Sequence[bytes]]  # the stored subtree hashes: packed keys, hashes


@dataclass
class Report:
    ok: bool
    entries: int
    checkpoints: int
    kind: str = ""
    position: int | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.ok:
            head = f"OK: {self.entries} entries, {self.checkpoints} checkpoints verified"
        else:
            where = f" at entry {self.position}" if self.position is not None else ""
            head = f"FAILED ({self.kind}){where}: {self.message}"
        return "\n".join([head, *(f"WARNING: {w}" for w in self.warnings)])


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
    signature_ok: SignatureCheck | None = None,
    workers: int = 1,
    chunk_level: int = treecheck.CHUNK_LEVEL,
    witnessed: Sequence[WitnessRow] = (),
    witness_broken: str = "",
) -> Report:
    """Verify everything. `node_keys` (packed, ascending) and `node_hashes` are the stored subtree hashes;
    `signature_ok` checks one checkpoint. The hashing runs in `workers` processes (treecheck.py); the
    report is the same for any number of workers. `report.extra["workers"]` says how many were used.

    `witnessed`: this log's checkpoints read from the witness log(s), in file order (witness.py);
    `witness_broken`: what is wrong with a witness log's own chain, if anything (its lines before the
    break are still used)."""
    n = len(datas)
    datas, leaves, node_hashes = _as_list(datas), _as_list(leaves), _as_list(node_hashes)
    nodes: Nodes = (node_keys, node_hashes)
    used = 1
    try:
        _check_indices(indices, n)
        offsets, bad_level = treecheck.node_offsets(node_keys, n)
        chunks, used = treecheck.check_chunks(
            datas, leaves, node_hashes, offsets, chunk_level=chunk_level, workers=workers
        )
        _check_entries(chunks, datas, nodes, head_frontier)
        _check_signatures(checkpoints, signature_ok)
        _check_witness_signatures(witnessed, signature_ok)
        _check_extent(n, head_size, checkpoints, witnessed)
        _check_nodes(chunks, chunk_level, offsets, bad_level, nodes, n)
        _check_roots(offsets, leaves, node_hashes, checkpoints, witnessed)
        _check_witnessed(offsets, leaves, node_hashes, checkpoints, witnessed)
        if witness_broken:
            raise _Fail("witness-log", None, witness_broken)
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


def _check_entries(
    chunks: list[treecheck.ChunkResult], datas: Sequence[bytes], nodes: Nodes, head_frontier: bytes
) -> None:
    """The first misplaced entry (in index order), else the first whose bytes fail its leaf hash."""
    p = next((c.prefix_bad for c in chunks if c.prefix_bad is not None), None)
    if p is not None:
        _classify_misplaced(p, datas, nodes, head_frontier)
    p = next((c.leaf_bad for c in chunks if c.leaf_bad is not None), None)
    if p is not None:
        raise _Fail("edited", p, f"entry {p}'s bytes no longer hash to its stored leaf hash")


def _classify_misplaced(p: int, datas: Sequence[bytes], nodes: Nodes, head_frontier: bytes) -> None:
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


def _intruder(
    e: int,
    rows: list[int],
    datas: Sequence[bytes],
    claim: Sequence[int | None],
    nodes: Nodes,
    head_frontier: bytes,
) -> int:
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


def _check_extent(
    n: int, head_size: int | None, checkpoints: Sequence[CheckpointRow], witnessed: Sequence[WitnessRow] = ()
) -> None:
    signed = max((cp.size for cp in checkpoints), default=0)
    far = max(witnessed, key=lambda w: w.size, default=None)
    expected = max(signed, head_size or 0, far.size if far else 0)
    if n < expected:
        if far is not None and far.size == expected and far.size > max(signed, head_size or 0):
            source = f"the witness log (line {far.line}, outside the database)"
        else:
            source = "the head" if (head_size or 0) >= signed else "a signed checkpoint"
        raise _Fail("truncated", n, f"the log holds {n} entries but {source} records {expected}")
    if head_size is not None and n > head_size:
        raise _Fail("inserted", head_size, f"entries from {head_size} on were not appended through the head")


def _check_nodes(
    chunks: list[treecheck.ChunkResult],
    chunk_level: int,
    offsets: dict[int, int],
    bad_level: int | None,
    nodes: Nodes,
    n: int,
) -> None:
    """Level by level from 1: the stored keys are all there, then the stored hashes equal the recomputed."""
    keys, hashes = nodes
    size = 1 << chunk_level
    tops = [c.top for c in chunks if c.end - c.start == size and c.top is not None]  # whole chunks have one
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


def _check_signatures(checkpoints: Sequence[CheckpointRow], signature_ok: SignatureCheck | None) -> None:
    for cp in checkpoints:
        if signature_ok is not None and not signature_ok(cp):
            raise _Fail(
                "forged-checkpoint", None, f"checkpoint #{cp.id} (size {cp.size}): signature does not verify"
            )


def _check_witness_signatures(witnessed: Sequence[WitnessRow], signature_ok: SignatureCheck | None) -> None:
    for w in witnessed:
        if signature_ok is not None and not signature_ok(w):  # Signed: key_id, message, signature
            raise _Fail(
                "forged-checkpoint",
                None,
                f"witness log line {w.line} (size {w.size}): signature does not verify",
            )


def _label(signed: CheckpointRow | WitnessRow) -> str:
    if isinstance(signed, WitnessRow):
        return f"the checkpoint witnessed at line {signed.line} of the witness log"
    return f"checkpoint #{signed.id}"


def _check_roots(
    offsets: dict[int, int],
    leaves: Sequence[bytes],
    node_hashes: Sequence[bytes],
    checkpoints: Sequence[CheckpointRow],
    witnessed: Sequence[WitnessRow] = (),
) -> None:
    # Reached only when every stored leaf and subtree hash equals its recomputed value, so the stored
    # ones can be read: each checkpoint's root is a fold of at most log2(n) of them.
    def get(key: merkle.Key) -> bytes:
        level, index = key
        return leaves[index] if level == 0 else node_hashes[offsets[level] + index]

    signed: list[CheckpointRow | WitnessRow] = [*checkpoints, *witnessed]
    matches = {id(s): merkle.root(s.size, get) == s.root for s in signed}
    bad = [s for s in signed if not matches[id(s)]]
    if not bad:
        return
    first_bad = min(bad, key=lambda s: s.size)
    good = [s for s in signed if matches[id(s)] and s.size < first_bad.size]
    anchor = max(good, key=lambda s: s.size, default=None)
    position, message = locate(first_bad, anchor, leaves, witnessed)
    raise _Fail("edited", position, message)


def locate(
    bad: CheckpointRow | WitnessRow,
    anchor: CheckpointRow | WitnessRow | None,
    leaves: Sequence[bytes],
    witnessed: Sequence[WitnessRow],
) -> tuple[int, str]:
    """Bisection over the signed checkpoints, then the witnessed leaf hashes: the first rewritten entry.

    The first `anchor.size` entries still hash to a signed root, the first `bad.size` do not, so the first
    rewritten entry lies in [anchor.size, bad.size). If the witness log holds the leaf hashes of that
    range, and they — with the intact prefix — hash to the bad checkpoint's signed root (so they are the
    genuine ones), the first stored leaf hash that differs names the entry.
    """
    lo, hi = (anchor.size if anchor else 0), bad.size
    since = f" (the first {lo} still hash to {_label(anchor)})" if anchor else ""
    witnessed_leaves: dict[int, bytes] = {}
    for w in witnessed:
        if w.leaves is not None and w.first is not None and w.first < hi and w.size > lo:
            for k in range(max(lo, w.first), min(hi, w.size)):
                witnessed_leaves.setdefault(k, w.leaves[k - w.first])
    if len(witnessed_leaves) == hi - lo:
        genuine = [*leaves[:lo], *(witnessed_leaves[k] for k in range(lo, hi))]
        if _root_of(genuine) == bad.root:
            first = next((k for k in range(lo, hi) if leaves[k] != witnessed_leaves[k]), None)
            if first is not None:
                return first, (
                    f"entry #{first} was rewritten: its leaf hash is not the one witnessed outside the database, "
                    f"and the first {hi} entries no longer hash to {_label(bad)}'s signed root{since}"
                )
    return lo, (
        f"an entry among #{lo}..#{hi - 1} was rewritten: the first {hi} entries no longer hash to "
        f"{_label(bad)}'s signed root{since}"
    )


def _root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (stored perfect subtrees of the list, folded)."""
    if not leaves:
        return merkle.EMPTY_ROOT
    stored: dict[merkle.Key, bytes] = {(0, i): h for i, h in enumerate(leaves)}
    for level, row in merkle.levels(leaves):
        stored.update(((level, i), h) for i, h in enumerate(row))
    return merkle.root(len(leaves), stored)


def _check_witnessed(
    offsets: dict[int, int],
    leaves: Sequence[bytes],
    node_hashes: Sequence[bytes],
    checkpoints: Sequence[CheckpointRow],
    witnessed: Sequence[WitnessRow],
) -> None:
    """Reached when every witnessed root matches the log: successive witnessed checkpoints are consistent
    (RFC 9162 consistency proof, built from the recomputed tree), and each is still in the database."""

    def get(key: merkle.Key) -> bytes:
        level, index = key
        return leaves[index] if level == 0 else node_hashes[offsets[level] + index]

    ordered = sorted(witnessed, key=lambda w: (w.size, w.line))
    for a, b in itertools.pairwise(ordered):
        proof = merkle.consistency_proof(a.size, b.size, get)
        if not merkle.verify_consistency(a.size, b.size, a.root, b.root, proof):
            raise _Fail(
                "fork",
                a.size,
                f"witness log lines {a.line} and {b.line}: the checkpoint of size {b.size} does not extend "
                f"the one of size {a.size}",
            )
    stored = {(cp.size, cp.root, cp.signature) for cp in checkpoints}
    for w in witnessed:
        if (w.size, w.root, w.signature) not in stored:
            raise _Fail(
                "checkpoint-deleted",
                None,
                f"the checkpoint of size {w.size} witnessed at line {w.line} of the witness log is no longer "
                f"in the database",
            )
