"""The hashing half of full verification, split into independent chunks — pure Python, no Django.

RFC 9162 makes every *perfect aligned subtree* independent of the rest of the tree: its hash depends
only on its own leaves. So the log is cut into chunks of 2**CHUNK_LEVEL leaves starting at multiples
of that size (the last chunk may be shorter). Each chunk is checked on its own — its entries' index
prefixes, its leaf hashes, every stored subtree hash inside it — and reports its *first* failure of
each kind plus its top hash; `verification.verify_log` then merges the chunk reports in chunk order, so
the verdict and its location are the same whether the chunks ran in one process or in several.
Only the few subtree hashes above the chunk level are computed after the merge (from the chunk tops).

With `workers > 1` the calling process and workers - 1 forked children hash the chunks, taking them
from a shared counter. The rows are not copied or pickled: the children are forked after the rows are
loaded, so each reads the parent's lists (copy-on-write); it sends back a few hashes and positions per
chunk. The sequential path (`workers == 1`) runs the very same `check_range` in process.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .canonical import INDEX_PREFIX

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

# What every chunk check reads: the entries' bytes, their leaf hashes, the stored nodes and their offsets.
_Rows = tuple[Sequence[bytes], Sequence[bytes], Sequence[bytes], dict[int, int]]

# 16,384 leaves per chunk: 62 chunks for a million entries, handed out one at a time, so the workers
# finish together; each chunk costs a few list slices more than one big range, nothing measurable.
CHUNK_LEVEL = 14
PARALLEL_FROM = 1 << 17  # below this, forking costs more than it saves (a fork takes ~10-30 ms)
MAX_WORKERS = 8

_sha256 = hashlib.sha256
# The RFC 9162 domain prefixes, fed once: copy() + update() avoids building 0x00 ‖ entry and
# 0x01 ‖ left ‖ right as new bytes for every hash (measured ~15 % less CPU per node than concatenating).
_LEAF = _sha256(b"\x00")
_NODE = _sha256(b"\x01")


def _parents(row: list[bytes]) -> list[bytes]:
    """The next level up: SHA-256(0x01 ‖ left ‖ right) of each complete pair (an odd last hash waits)."""
    out: list[bytes] = []
    append, copy, pairs = out.append, _NODE.copy, iter(row)
    for left, right in zip(pairs, pairs, strict=False):
        h = copy()
        h.update(left)
        h.update(right)
        append(h.digest())
    return out


@dataclass
class ChunkResult:
    start: int
    end: int
    prefix_bad: int | None = None  # first entry whose bytes do not begin {"index":<its own index>,
    leaf_bad: int | None = None  # first entry whose bytes do not hash to its stored leaf hash
    node_bad: dict[int, int] = field(default_factory=dict)  # level -> first subtree index that differs
    top: bytes | None = None  # the chunk's root, when the chunk is a whole perfect subtree


def node_offsets(keys: Sequence[int], n: int) -> tuple[dict[int, int], int | None]:
    """Where each level's stored subtree hashes start in `keys` (packed, ascending, unique).

    A log of n leaves has n >> level complete subtrees at each level >= 1. Because the keys are unique
    and ascending, the right first and last key of a level means every key of it is there. Returns the
    offsets of the levels that check out, and the first level that does not (None if all do).
    """
    offsets: dict[int, int] = {}
    pos, level = 0, 1
    while n >> level:
        count = n >> level
        if pos + count > len(keys) or (keys[pos], keys[pos + count - 1]) != (
            level << 48,
            (level << 48) | (count - 1),
        ):
            return offsets, level
        offsets[level] = pos
        pos += count
        level += 1
    return offsets, None


def check_range(
    start: int,
    end: int,
    datas: Sequence[bytes],
    leaves: Sequence[bytes],
    node_hashes: Sequence[bytes],
    offsets: dict[int, int],
) -> ChunkResult:
    """Check entries [start, end) — start aligned to the chunk size — against what is stored."""
    result = ChunkResult(start, end)
    ds = datas[start:end]
    # Every entry's bytes begin with its own index: a moved, inserted or renumbered row betrays itself.
    expected = map(INDEX_PREFIX.__mod__, range(start, end))
    if not all(map(bytes.startswith, ds, expected)):
        result.prefix_bad = next(i for i in range(start, end) if not datas[i].startswith(INDEX_PREFIX % i))
    row: list[bytes] = []
    append, copy = row.append, _LEAF.copy
    for d in ds:
        h = copy()
        h.update(d)
        append(h.digest())
    if row != leaves[start:end]:
        result.leaf_bad = start + next(i for i, h in enumerate(row) if h != leaves[start + i])
    level = 0
    while len(row) >= 2:
        level += 1
        row = _parents(row)
        pos = offsets.get(level)
        if pos is None:
            continue  # this level's stored keys are out of place: integrity reports that, not a hash
        first = pos + (start >> level)
        if node_hashes[first : first + len(row)] != row:
            result.node_bad[level] = (start >> level) + next(
                i for i, h in enumerate(row) if h != node_hashes[first + i]
            )
    if len(row) == 1:
        result.top = row[0]  # the caller uses it only for whole chunks (a perfect subtree of chunk_level)
    return result


def upper_levels(
    tops: list[bytes], chunk_level: int, node_hashes: Sequence[bytes], offsets: dict[int, int]
) -> dict[int, int]:
    """The subtrees above the chunks, from the chunks' tops: level -> first index that differs."""
    bad: dict[int, int] = {}
    row, level = tops, chunk_level
    while len(row) >= 2:
        level += 1
        row = _parents(row)
        pos = offsets.get(level)
        if pos is None:
            continue
        stored = node_hashes[pos : pos + len(row)]
        if stored != row:
            bad[level] = next(i for i, h in enumerate(row) if h != stored[i])
    return bad


def default_workers(n: int) -> int:
    """One process per available core for large logs; one process below PARALLEL_FROM entries."""
    if n < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _claim_and_check(
    counter: Synchronized[Any], bounds: list[tuple[int, int]], rows: _Rows
) -> list[ChunkResult]:
    """Take the next unclaimed chunk until none is left (so a slower process simply does fewer)."""
    out: list[ChunkResult] = []
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        if k >= len(bounds):
            return out
        start, end = bounds[k]
        out.append(check_range(start, end, *rows))


def _fork_worker(counter: Synchronized[Any], bounds: list[tuple[int, int]], rows: _Rows) -> tuple[int, int]:
    """Fork a child that checks chunks and pickles its results into a pipe; returns (pid, read end)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it inherited the rows; it never returns into the caller's code
        status = 1
        try:
            os.close(read)
            payload = pickle.dumps(_claim_and_check(counter, bounds, rows))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # someone else's wait() may have reaped it already
        os.waitpid(pid, 0)


def check_chunks(
    datas: Sequence[bytes],
    leaves: Sequence[bytes],
    node_hashes: Sequence[bytes],
    offsets: dict[int, int],
    *,
    chunk_level: int = CHUNK_LEVEL,
    workers: int = 1,
) -> tuple[list[ChunkResult], int]:
    """Check every chunk; returns the results in chunk order and the number of processes used.

    With workers > 1 the caller's process is one of them and forks workers - 1 children, all taking
    chunks from a shared counter. The children read the rows the parent already holds (fork,
    copy-on-write) and return only their small chunk results. A child that fails leaves its chunks
    to the parent, so the verdict never depends on a child finishing.
    """
    n, size = len(datas), 1 << chunk_level
    bounds = [(s, min(s + size, n)) for s in range(0, n, size)]
    rows: _Rows = (datas, leaves, node_hashes, offsets)
    workers = min(workers, len(bounds))
    if workers <= 1:
        return [check_range(s, e, *rows) for s, e in bounds], 1
    counter = multiprocessing.get_context("fork").Value("q", 0)  # shared memory, inherited by the children
    children = [_fork_worker(counter, bounds, rows) for _ in range(workers - 1)]
    results = _claim_and_check(counter, bounds, rows)
    for pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()  # until the child closes the pipe: its results are complete or absent
        # Reap the child without waiting here: tearing down its copy of a large address space takes a
        # while after it has sent everything. A child that failed sends nothing or a cut-off pickle.
        threading.Thread(target=_reap, args=(pid,), daemon=True).start()
        with contextlib.suppress(pickle.UnpicklingError, EOFError, ValueError, TypeError):
            results.extend(pickle.loads(payload))  # noqa: S301 - our own child, through our own pipe
    done = {r.start for r in results}
    results.extend(check_range(s, e, *rows) for s, e in bounds if s not in done)
    results.sort(key=lambda r: r.start)
    return results, workers
