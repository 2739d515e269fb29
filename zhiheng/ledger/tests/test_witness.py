"""The witness log, witness pushes, frequent checkpoints and the guard's limits (issue 10, finding 4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.test import Client, override_settings

from zhiheng.core import clock
from zhiheng.core.errors import Conflict
from zhiheng.ledger import guard, selectors, services, signing, witness
from zhiheng.ledger.models import Checkpoint

from .conftest import fill, raw, run_on_commit_callbacks

pytestmark = pytest.mark.django_db


def lines(path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_each_checkpoint_is_appended_after_commit_as_a_chained_line(witness_log):
    fill(5)
    services.issue_checkpoint()
    assert not witness_log.exists()  # not before the commit
    run_on_commit_callbacks()
    fill(3)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    first, second = lines(witness_log)
    assert (first["size"], second["size"], second["from"]) == (5, 8, 5)
    assert first["prev"] == witness.GENESIS
    assert second["prev"] == witness.line_hash(witness_log.read_bytes().split(b"\n")[0])
    assert bytes.fromhex(second["leaves"]) == b"".join(selectors.leaf_hashes(5, 8))
    report = services.verify_all()
    assert report.ok and report.extra["witnessed"] == 2 and report.warnings == []


def test_an_edited_witness_line_breaks_the_chain(witness_log):
    fill(4)
    services.issue_checkpoint()
    fill(2)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    raw_lines = witness_log.read_text().splitlines()
    raw_lines[0] = raw_lines[0].replace('"origin":"zhiheng"', '"origin":"other"')
    witness_log.write_text("\n".join(raw_lines) + "\n")
    report = services.verify_all()
    assert not report.ok and report.kind == "witness-log" and ":2:" in report.message


def test_a_deleted_checkpoint_that_was_witnessed_is_reported(witness_log):
    fill(4)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    raw("DELETE FROM ledger_checkpoint")
    report = services.verify_all()
    assert report.kind == "checkpoint-deleted"


def test_verify_reports_the_unwitnessed_tail(witness_log):
    fill(4)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    fill(3)
    report = services.verify_all()
    assert report.ok
    assert any("3 entries (#4..#6) are not yet covered" in w for w in report.warnings)
    assert "WARNING: 3 entries" in str(report)


def test_no_witness_log_is_a_warning(settings):
    settings.LEDGER_WITNESS_LOG = ""
    fill(1)
    assert any("no witness log" in w for w in services.verify_all().warnings)


def test_a_tree_that_does_not_extend_the_witnessed_one_is_never_signed(witness_log):
    fill(6)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    raw("DELETE FROM ledger_checkpoint")  # the database's own record is gone; the witness log is not
    raw("""UPDATE ledger_node SET hash = ? WHERE key = ?""", [b"\x00" * 32, 2 << 48])
    with pytest.raises(Conflict) as refused:
        services.issue_checkpoint()
    assert "见证" in refused.value.message and Checkpoint.objects.count() == 0


def test_checkpoints_are_due_by_count_after_the_commit(witness_log, settings):
    settings.LEDGER_CHECKPOINT_EVERY = 5
    fill(4)
    run_on_commit_callbacks()
    assert Checkpoint.objects.count() == 0
    fill(1)
    run_on_commit_callbacks()
    assert Checkpoint.objects.get().size == 5 and lines(witness_log)[-1]["size"] == 5


def test_checkpoints_are_due_by_time_after_the_commit(witness_log, settings):
    settings.LEDGER_CHECKPOINT_EVERY = 1000
    start = dt.datetime(2026, 3, 1, 9, tzinfo=clock.SHANGHAI)
    with clock.frozen(start):
        fill(1)
        run_on_commit_callbacks()
    assert Checkpoint.objects.count() == 0
    with clock.frozen(start + dt.timedelta(minutes=11)):
        fill(1)
        run_on_commit_callbacks()
    assert Checkpoint.objects.get().reason == "time"


def test_the_periodic_job_renews_an_hour_old_checkpoint(witness_log):
    fill(2)
    with clock.frozen(clock.now() - dt.timedelta(hours=2)):
        services.issue_checkpoint()
    assert services.checkpoint_if_due() is None
    assert services.checkpoint_if_due(heartbeat=True).reason == "hourly"


# --- pushes and the receiving endpoint: the other server is this one, through Django's test client --


@pytest.fixture
def other_server(tmp_path, witness_log):
    """A second server's settings (its own witness log, our key trusted as "jiangbei") and a transport
    that posts to it through the test client; no network."""
    received = tmp_path / "other-witness.log"
    trusted = f"jiangbei={signing.public_bytes().hex()}"

    def post(url, body):
        with override_settings(LEDGER_WITNESS_LOG=str(received), LEDGER_WITNESS_TRUSTED=trusted):
            response = Client().post(url, json.dumps(body), content_type="application/json")
        return response.status_code, response.json()

    return received, post


def test_pushes_are_witnessed_with_consistency_proofs(other_server, settings):
    received, post = other_server
    settings.LEDGER_WITNESSES = "/api/v1/ledger/witness"
    settings.LEDGER_ORIGIN = "jiangbei"
    fill(5)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    assert services.push_witnesses(post) == [(True, "/api/v1/ledger/witness: appended")]
    fill(4)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    ok, note = services.push_witnesses(post)[0]  # the witness asks for a proof from size 5, then appends
    assert ok and note.endswith("appended")
    assert [x["size"] for x in lines(received)] == [5, 9]
    assert services.push_witnesses(post)[0][1].endswith("already-witnessed")
    report = services.verify_all(witness_logs=[received])  # a copy fetched from the other server
    assert report.ok and report.extra["witnessed"] == 4


def test_the_witness_refuses_unknown_origins_bad_signatures_and_forks(other_server):
    received, post = other_server
    fill(3)
    cp = services.issue_checkpoint()
    body = {"origin": "jiangbei", **selectors_checkpoint(cp)}
    assert post("/api/v1/ledger/witness", {**body, "origin": "nobody"})[0] == 403
    forged = {**body, "root": "11" * 32}
    assert post("/api/v1/ledger/witness", forged)[0] == 403
    assert post("/api/v1/ledger/witness", body) == (200, {"status": "appended"})
    fill(1)
    later = {"origin": "jiangbei", **selectors_checkpoint(services.issue_checkpoint())}
    status, answer = post("/api/v1/ledger/witness", later)
    assert status == 409 and answer["error"]["detail"]["witnessed_size"] == 3
    wrong = {**later, "consistency": {"first": 3, "hashes": ["22" * 32]}}
    assert post("/api/v1/ledger/witness", wrong)[0] == 409
    assert [x["size"] for x in lines(received)] == [3]


def selectors_checkpoint(cp) -> dict:
    from zhiheng.ledger.api import checkpoint_json

    return checkpoint_json(cp)


def test_a_torn_last_line_is_cut_before_the_next_append(witness_log):
    fill(2)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    with witness_log.open("ab") as fh:
        fh.write(b'{"v":1,"size":')
    assert witness.read().torn_tail
    fill(1)
    services.issue_checkpoint()
    run_on_commit_callbacks()
    found = witness.read()
    assert not found.torn_tail and not found.broken and [x.size for x in found.lines] == [2, 3]


# --- the guard -------------------------------------------------------------------------------------


def test_the_guard_is_never_lifted_in_production(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(PermissionError), guard.allow_rewrite():
        pass
    with pytest.raises(PermissionError):
        guard.permit_flush()
    guard._state.allowed = 1  # even a thread-local switched on by hand does not lift it
    try:
        assert guard._allowed() == 0
    finally:
        guard._state.allowed = 0


def test_a_weakened_trigger_fails_the_guard_check(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite trigger text")
    assert guard.installed()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("DROP TRIGGER ledger_entry_no_update")
        c.execute(
            "CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry WHEN 0 BEGIN SELECT 1; END"
        )
        assert not guard.installed()
        transaction.set_rollback(True)
