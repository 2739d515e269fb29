"""API.md's ledger endpoints: shapes, visibility per persona, errors never a 500."""

from __future__ import annotations

import json

import pytest

from zhiheng import ledger
from zhiheng.ledger import merkle, services, signing, verify_offline

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(world):
    for i in range(10):
        ledger.record("ledger.note", unit="t-unit", subject=f"matter:{i}", payload={"i": i})
    ledger.record("ledger.note", unit="t-other", subject="matter:99")  # index 10
    ledger.record("ledger.note", unit="far-unit", subject="matter:100")  # index 11: another district's unit
    ledger.record("ledger.note", district="testdistrict", subject="district:testdistrict")  # index 12
    return world


def test_checkpoint_is_issued_on_first_request_and_signed(log, api_client):
    r = api_client.as_(log.outsider).get("/api/v1/ledger/checkpoint")
    assert r.status_code == 200
    cp = r.json()
    assert set(cp) == {"size", "root", "timestamp", "signature", "key_id"}
    assert cp["size"] == 13 and len(cp["root"]) == 64 and len(cp["signature"]) == 128
    assert cp["timestamp"].endswith("+08:00")
    assert verify_offline.signature_valid(cp, signing.public_bytes().hex())
    assert api_client.as_(log.outsider).get("/api/v1/ledger/checkpoint").json() == cp  # latest, not reissued


def test_checkpoint_requires_auth(log, api_client):
    r = api_client.get("/api/v1/ledger/checkpoint")
    assert r.status_code == 401 and r.json()["error"]["rule"] == "auth"


@pytest.mark.parametrize(
    ("persona", "index", "status"),
    [
        ("admin", 3, 200),
        ("admin", 10, 200),
        ("admin", 12, 200),
        ("admin", 11, 404),
        ("inspector", 3, 200),
        ("inspector", 10, 404),
        ("inspector", 12, 404),
        ("other_admin", 3, 404),
        ("principal", 3, 404),
        ("deputy", 3, 404),
        ("staff", 3, 404),
        ("outsider", 3, 404),
        ("admin", 13, 404),
        ("admin", 10**30, 404),
    ],
)
def test_entry_visibility_per_persona(log, api_client, persona, index, status):
    r = api_client.as_(getattr(log, persona)).get(f"/api/v1/ledger/entries/{index}")
    assert r.status_code == status
    if status == 404:
        assert r.json()["error"]["rule"] == "not-found"


def test_entry_shape_is_the_hashed_text(log, api_client):
    body = api_client.as_(log.admin).get("/api/v1/ledger/entries/3").json()
    assert set(body) == {"index", "entry", "leaf_hash"} and body["index"] == 3
    assert json.loads(body["entry"])["index"] == 3
    assert merkle.leaf_hash(body["entry"].encode()).hex() == body["leaf_hash"]


def test_inclusion_proof_verifies_offline_end_to_end(log, api_client, tmp_path):
    inspector = api_client.as_(log.inspector)
    cp = inspector.get("/api/v1/ledger/checkpoint").json()
    entry = inspector.get("/api/v1/ledger/entries/7").json()
    proof = inspector.get("/api/v1/ledger/proofs/inclusion", {"index": 7, "size": cp["size"]})
    assert proof.status_code == 200
    assert set(proof.json()) == {"index", "size", "hashes"}
    bundle = {
        "checkpoint": cp,
        "entry": entry,
        "proof": proof.json(),
        "public_key": signing.public_bytes().hex(),
    }
    assert verify_offline.verify_bundle(bundle) == []
    bundle["entry"] = inspector.get("/api/v1/ledger/entries/8").json()
    assert verify_offline.verify_bundle(bundle)


def test_inclusion_proof_of_an_invisible_entry_is_404(log, api_client):
    r = api_client.as_(log.inspector).get("/api/v1/ledger/proofs/inclusion", {"index": 10, "size": 13})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("params", "rule"),
    [
        ({"index": 13, "size": 13}, "R-LED-3"),
        ({"index": 3, "size": 14}, "R-LED-3"),
        ({"index": -1, "size": 5}, "R-LED-3"),
        ({"index": 3, "size": 10**30}, "R-LED-3"),
        ({"index": "x", "size": 5}, "validation"),
        ({"index": 3}, "validation"),
        ({"index": "1.5", "size": 5}, "validation"),
    ],
)
def test_bad_inclusion_parameters_are_422(log, api_client, params, rule):
    r = api_client.as_(log.admin).get("/api/v1/ledger/proofs/inclusion", params)
    assert r.status_code == 422
    assert r.json()["error"]["rule"] == rule


def test_consistency_proof_between_two_checkpoints(log, api_client):
    first = services.issue_checkpoint()
    ledger.record("ledger.note", unit="t-unit")
    second = services.issue_checkpoint()
    r = api_client.as_(log.outsider).get("/api/v1/ledger/proofs/consistency", {"first": 13, "second": 14})
    assert r.status_code == 200
    body = r.json()
    assert body["first"] == 13 and body["second"] == 14
    assert verify_offline.consistent(
        13, 14, bytes(first.root), bytes(second.root), [bytes.fromhex(h) for h in body["hashes"]]
    )


@pytest.mark.parametrize(
    ("params", "rule"),
    [
        ({"first": 5, "second": 4}, "R-LED-3"),
        ({"first": 1, "second": 99}, "R-LED-3"),
        ({"first": -2, "second": 4}, "R-LED-3"),
        ({"first": "a", "second": 4}, "validation"),
        ({}, "validation"),
    ],
)
def test_bad_consistency_parameters_are_422(log, api_client, params, rule):
    r = api_client.as_(log.admin).get("/api/v1/ledger/proofs/consistency", params)
    assert r.status_code == 422 and r.json()["error"]["rule"] == rule


@pytest.fixture
def scoped(world):
    """District-level entries of both districts, a platform-level one, and one from before scopes."""
    from zhiheng.ledger import guard
    from zhiheng.ledger.models import Entry

    ledger.record("ledger.note", district="testdistrict", subject="district:testdistrict")  # 0
    ledger.record("ledger.note", district="fardistrict", subject="district:fardistrict")  # 1
    ledger.record("ledger.note", subject="platform")  # 2: no unit, no district
    legacy = ledger.record("ledger.note", district="fardistrict", subject="legacy")  # 3
    with guard.allow_rewrite():  # as appended before migration 0003: scope never recorded
        Entry.objects.filter(index=legacy.index).update(district=None)
    return world


@pytest.mark.parametrize(
    ("persona", "index", "status"),
    [
        ("admin", 0, 200),
        ("admin", 1, 404),
        ("admin", 2, 200),
        ("admin", 3, 404),
        ("other_admin", 0, 404),
        ("other_admin", 1, 200),
        ("other_admin", 2, 200),
        ("other_admin", 3, 404),
        ("inspector", 0, 404),
        ("inspector", 2, 404),
        ("principal", 0, 404),
        ("outsider", 2, 404),
    ],
)
def test_district_level_entries_stay_in_their_district(scoped, api_client, persona, index, status):
    """Issue 9 hole 11: an admin sees their own districts' district-level entries, never another's."""
    client = api_client.as_(getattr(scoped, persona))
    assert client.get(f"/api/v1/ledger/entries/{index}").status_code == status
    size = client.get("/api/v1/ledger/checkpoint").json()["size"]
    proof = client.get("/api/v1/ledger/proofs/inclusion", {"index": index, "size": size})
    assert proof.status_code == status


def test_entry_list_is_scoped_to_the_admins_districts(scoped, api_client):
    def indices(persona):
        r = api_client.as_(getattr(scoped, persona)).get("/api/v1/ledger/entries")
        assert r.status_code == 200
        return sorted(e["index"] for e in r.json()["items"])

    assert indices("admin") == [0, 2]
    assert indices("other_admin") == [1, 2]


def test_district_scope_is_in_the_hashed_entry(world):
    entry = ledger.record("ledger.note", district="testdistrict", payload={"x": 1})
    assert json.loads(entry.text)["payload"] == {"district": "testdistrict", "x": 1}
    assert entry.unit == "" and entry.district == "testdistrict"
    assert ledger.record("ledger.note", unit="t-unit").district == ""
    with pytest.raises(ValueError, match="not both"):
        ledger.record("ledger.note", unit="t-unit", district="testdistrict")
    with pytest.raises(ValueError, match="contradicts"):
        ledger.record("ledger.note", district="testdistrict", payload={"district": "fardistrict"})
