"""The pure Merkle module against RFC 9162's recursive definitions, without a database."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiheng.ledger import merkle, verify_offline


def sha(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


# --- a naive reference: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 word for word ----------------------


def ref_mth(d: list[bytes]) -> bytes:
    n = len(d)
    if n == 0:
        return sha(b"")
    if n == 1:
        return sha(b"\x00" + d[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return sha(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def entries(n: int) -> list[bytes]:
    return [b'{"index":%d,"payload":{}}' % i for i in range(n)]


class Store:
    """Every complete perfect subtree, as the database keeps them, built by append_leaf."""

    def __init__(self, data: list[bytes]):
        self.hashes: dict[merkle.Key, bytes] = {}
        self.frontier: list[bytes] = []
        self.reads = 0
        for i, d in enumerate(data):
            leaf = merkle.leaf_hash(d)
            self.hashes[(0, i)] = leaf
            self.frontier, done = merkle.append_leaf(i, self.frontier, leaf)
            for level, index, h in done:
                self.hashes[(level, index)] = h

    def get(self, key: merkle.Key) -> bytes:
        self.reads += 1
        return self.hashes[key]


DATA = entries(300)
STORE = Store(DATA)
BIG = Store(entries(3000))


def test_known_answer_vectors():
    # RFC 6962/9162 test vectors: empty tree, and the leaf hash of the empty entry.
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    # The certificate-transparency test vector: 8 leaves, root 5dc9da79...
    leaves = [
        bytes.fromhex(x)
        for x in [
            "",
            "00",
            "10",
            "2021",
            "3031",
            "40414243",
            "5051525354555657",
            "606162636465666768696a6b6c6d6e6f",
        ]
    ]
    assert ref_mth(leaves).hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    store = Store(leaves)
    assert merkle.root(8, store.get) == ref_mth(leaves)


def test_roots_match_the_reference_for_every_size():
    for n in range(0, 300):
        assert merkle.root(n, STORE.get) == ref_mth(DATA[:n]), n
        assert merkle.fold(Store(DATA[:n]).frontier) == ref_mth(DATA[:n])


def drawn_inclusion(data, *, smallest: int = 1) -> tuple[int, int, list[bytes], bytes]:
    """A size of BIG's tree (smallest..3000), an index in it, that index's inclusion proof and the root."""
    size = data.draw(st.integers(smallest, 3000))
    index = data.draw(st.integers(0, size - 1))
    return size, index, merkle.inclusion_proof(index, size, BIG.get), merkle.root(size, BIG.get)


def drawn_consistency(data, *, may_equal: bool = True) -> tuple[int, int, list[bytes], list[bytes]]:
    """Two sizes of BIG's tree, 1 <= first <= second <= 3000 (first < second unless `may_equal`), the
    consistency proof between them and their two roots."""
    second = data.draw(st.integers(1 if may_equal else 2, 3000))
    first = data.draw(st.integers(1, second if may_equal else second - 1))
    roots = [merkle.root(first, BIG.get), merkle.root(second, BIG.get)]
    return first, second, merkle.consistency_proof(first, second, BIG.get), roots


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_inclusion_proofs_verify_for_every_index_and_size(data):
    size, index, proof, root = drawn_inclusion(data)
    leaf = BIG.hashes[(0, index)]
    assert merkle.verify_inclusion(index, size, leaf, proof, root)
    assert verify_offline.inclusion_root(index, size, leaf, proof) == root
    if size <= 300:
        assert proof == ref_path(index, DATA[:size])
    if index + 1 < size:  # the same proof does not prove a neighbour
        assert not merkle.verify_inclusion(index + 1, size, BIG.hashes[(0, index + 1)], proof, root)


def test_all_small_inclusion_proofs_exhaustively():
    for size in range(1, 130):
        root = ref_mth(DATA[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(index, size, STORE.get)
            assert proof == ref_path(index, DATA[:size])
            assert merkle.verify_inclusion(index, size, STORE.hashes[(0, index)], proof, root)


def test_all_small_consistency_proofs_exhaustively():
    for second in range(0, 130):
        for first in range(0, second + 1):
            proof = merkle.consistency_proof(first, second, STORE.get)
            if 0 < first < second:
                assert proof == ref_subproof(first, DATA[:second], True)
            r1, r2 = ref_mth(DATA[:first]), ref_mth(DATA[:second])
            assert merkle.verify_consistency(first, second, r1, r2, proof), (first, second)
            assert verify_offline.consistent(first, second, r1, r2, proof)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_consistency_proofs_verify_between_any_two_sizes(data):
    first, second, proof, (r1, r2) = drawn_consistency(data)
    assert merkle.verify_consistency(first, second, r1, r2, proof)
    assert verify_offline.consistent(first, second, r1, r2, proof)


def flip(b: bytes, bit: int) -> bytes:
    a = bytearray(b)
    a[bit // 8] ^= 1 << (bit % 8)
    return bytes(a)


def flip_a_proof_bit(proof: list[bytes], data) -> list[bytes]:
    """The proof with one bit of one of its hashes (both drawn) flipped."""
    i = data.draw(st.integers(0, len(proof) - 1))
    return [*proof[:i], flip(proof[i], data.draw(st.integers(0, 255))), *proof[i + 1 :]]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_bit_change_breaks_an_inclusion_proof(data):
    size, index, proof, root = drawn_inclusion(data, smallest=2)
    entry = b'{"index":%d,"payload":{}}' % index
    target = data.draw(st.sampled_from(["entry", "root", "proof"]))
    if target == "entry":
        entry = flip(entry, data.draw(st.integers(0, len(entry) * 8 - 1)))
    elif target == "root":
        root = flip(root, data.draw(st.integers(0, 255)))
    else:
        proof = flip_a_proof_bit(proof, data)
    assert not merkle.verify_inclusion(index, size, merkle.leaf_hash(entry), proof, root)
    assert verify_offline.inclusion_root(index, size, verify_offline.leaf_hash(entry), proof) != root


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_bit_change_breaks_a_consistency_proof(data):
    first, second, proof, roots = drawn_consistency(data, may_equal=False)
    target = data.draw(st.sampled_from(["first", "second", "proof"]))
    if target == "proof":
        proof = flip_a_proof_bit(proof, data)
    else:
        j = 0 if target == "first" else 1
        roots[j] = flip(roots[j], data.draw(st.integers(0, 255)))
    assert not merkle.verify_consistency(first, second, *roots, proof)
    assert not verify_offline.consistent(first, second, *roots, proof)


def test_wrong_shapes_are_refused_not_crashing():
    proof = merkle.inclusion_proof(3, 10, STORE.get)
    root = merkle.root(10, STORE.get)
    leaf = STORE.hashes[(0, 3)]
    assert not merkle.verify_inclusion(3, 10, leaf, [*proof, proof[0]], root)
    assert not merkle.verify_inclusion(3, 10, leaf, proof[:-1], root)
    assert not merkle.verify_inclusion(10, 10, leaf, proof, root)
    assert not merkle.verify_inclusion(-1, 10, leaf, proof, root)
    assert not merkle.verify_consistency(5, 4, root, root, [])
    assert not merkle.verify_consistency(3, 10, root, root, [])
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(ValueError):
        merkle.consistency_ranges(6, 5)


def test_proofs_read_o_log_n_stored_hashes_at_ten_million():
    """Proof and root computations at n = 10**7 touch O(log n) stored hashes — the keys are known
    in advance and bounded by ~2 log2 n, whatever the index."""
    n = 10_000_000
    for index in (0, 1, 4_999_999, 8_388_607, 8_388_608, n - 1):
        keys = merkle.keys_for(merkle.inclusion_ranges(index, n))
        assert len(keys) <= 2 * n.bit_length(), (index, len(keys))
    for first in (1, 12345, 8_388_608, n - 1):
        assert len(merkle.keys_for(merkle.consistency_ranges(first, n))) <= 2 * n.bit_length()
    assert len(merkle.perfect_subtrees(0, n)) == bin(n).count("1")


def test_append_leaf_emits_each_subtree_once():
    store = Store(entries(64))
    assert sum(1 for level, _ in store.hashes if level > 0) == 63
    assert len(store.frontier) == 1 and store.frontier[0] == store.hashes[(6, 0)]
