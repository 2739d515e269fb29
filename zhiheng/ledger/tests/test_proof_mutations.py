"""Mutation tests of the proof verifiers (merkle.py and the standalone verify_offline.py).

immudb published a proof-verification flaw: its verifier accepted proofs that did not bind what they
claimed to prove. Here every single-byte change of a proof hash, a changed index, a truncated or
extended proof list must be refused, by both verifiers. A bare RFC 9162 inclusion or consistency proof
does *not* bind the tree size (a proof for size n also verifies for some other sizes with the same
shape), so the size must come from the signed checkpoint: the bundle verifier must refuse a proof whose
size differs from the checkpoint's, and that is tested at the bundle level.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiheng.ledger import merkle, verify_offline

VERIFIERS = [
    (merkle.verify_inclusion, merkle.verify_consistency),
    (
        lambda i, n, leaf, proof, root: verify_offline.inclusion_root(i, n, leaf, list(proof)) == root,
        lambda m, n, a, b, proof: verify_offline.consistent(m, n, a, b, list(proof)),
    ),
]


def tree(n: int, entry: bytes = b"entry %d"):
    """The leaf hashes of n entries (`entry` % index) and every stored subtree hash of their tree."""
    leaves = [merkle.leaf_hash(entry % i) for i in range(n)]
    stored = {(0, i): h for i, h in enumerate(leaves)}
    for level, row in merkle.levels(leaves):
        stored.update(((level, i), h) for i, h in enumerate(row))
    return leaves, stored


def mutations(proof: list[bytes], data) -> list[list[bytes]]:
    out = []
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        byte = data.draw(st.integers(0, 31))
        bit = data.draw(st.integers(0, 7))
        flipped = bytearray(proof[k])
        flipped[byte] ^= 1 << bit
        out.append([*proof[:k], bytes(flipped), *proof[k + 1 :]])
        out.append(proof[:-1])  # truncated
        out.append(proof[1:])
        out.append([*proof[:k], proof[k], *proof[k:]])  # a hash repeated
    out.append([*proof, data.draw(st.binary(min_size=32, max_size=32))])  # extended
    out.append([data.draw(st.binary(min_size=32, max_size=32)), *proof])
    return [m for m in out if m != proof]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_mutated_inclusion_proof_is_refused(data):
    n = data.draw(st.integers(1, 300))
    i = data.draw(st.integers(0, n - 1))
    leaves, stored = tree(n)
    root, proof = merkle.root(n, stored), merkle.inclusion_proof(i, n, stored)
    other = data.draw(st.integers(0, n - 1).filter(lambda j: j != i)) if n > 1 else None
    for verify_inclusion, _ in VERIFIERS:
        assert verify_inclusion(i, n, leaves[i], proof, root)
        for mutated in mutations(proof, data):
            assert not verify_inclusion(i, n, leaves[i], mutated, root)
        if other is not None:
            assert not verify_inclusion(other, n, leaves[i], proof, root)  # the index changed
            assert not verify_inclusion(i, n, leaves[other], proof, root)  # another entry
        assert not verify_inclusion(n, n, leaves[i], proof, root)
        assert not verify_inclusion(-1, n, leaves[i], proof, root)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_mutated_consistency_proof_is_refused(data):
    n = data.draw(st.integers(2, 300))
    m = data.draw(st.integers(1, n - 1))
    _, stored = tree(n)
    a, b, proof = merkle.root(m, stored), merkle.root(n, stored), merkle.consistency_proof(m, n, stored)
    for _, verify_consistency in VERIFIERS:
        assert verify_consistency(m, n, a, b, proof)
        for mutated in mutations(proof, data):
            assert not verify_consistency(m, n, a, b, mutated)
        assert not verify_consistency(n, m, b, a, proof)
        assert not verify_consistency(m, n, b, a, proof)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_bundle_verifier_binds_index_and_size_to_the_signed_checkpoint(data):
    """The flaw class: a verifier that accepts a proof for another size or index. A proof for size n
    also computes the same root for some other sizes, so the size is taken from the signed checkpoint."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    n = data.draw(st.integers(1, 100))
    i = data.draw(st.integers(0, n - 1))
    entry = b'{"index":%d,"payload":{}}'
    leaves, stored = tree(n, entry)
    key = Ed25519PrivateKey.generate()
    cp = {
        "size": n,
        "root": merkle.root(n, stored).hex(),
        "timestamp": "2026-03-01T10:00:00+08:00",
        "key_id": "k",
    }
    cp["signature"] = key.sign(verify_offline.checkpoint_message(cp)).hex()
    bundle = {
        "checkpoint": cp,
        "entry": {"index": i, "entry": (entry % i).decode(), "leaf_hash": leaves[i].hex()},
        "proof": {"index": i, "size": n, "hashes": [h.hex() for h in merkle.inclusion_proof(i, n, stored)]},
    }
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    assert verify_offline.verify_bundle(bundle, public) == []
    size = data.draw(st.integers(1, 200).filter(lambda s: s != n))
    assert verify_offline.verify_bundle({**bundle, "proof": {**bundle["proof"], "size": size}}, public)
    if n > 1:
        j = data.draw(st.integers(0, n - 1).filter(lambda j: j != i))
        assert verify_offline.verify_bundle({**bundle, "proof": {**bundle["proof"], "index": j}}, public)
