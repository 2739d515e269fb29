"""Issue 12: an inclusion proof reads the tree size once, the entry's scope without its data, and the
caller's scope in one query: a fixed number of queries, whatever the log's size."""

import pytest

from zhiheng import ledger

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("entries", [5, 50])
def test_an_inclusion_proof_costs_a_fixed_number_of_queries(
    world, api_client, entries, django_assert_max_num_queries
):
    for i in range(entries):
        ledger.record("ledger.note", unit="t-unit", subject=f"matter:{i}")
    api = api_client.as_(world.inspector)
    size = api.get("/api/v1/ledger/checkpoint").json()["size"]
    api.get("/api/v1/ledger/proofs/inclusion", {"index": 3, "size": size})  # warm up
    # token, tree size, leaf hashes, node hashes, the entry's scope, the caller's scope
    with django_assert_max_num_queries(6):
        r = api.get("/api/v1/ledger/proofs/inclusion", {"index": 3, "size": size})
    assert r.status_code == 200
