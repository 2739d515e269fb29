"""Key rotation (R-LED-2, R-LED-4): checkpoints signed with a retired district key still verify, with
the key their key_id names, as long as the key history next to the key file keeps it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from zhiheng import ledger
from zhiheng.ledger import selectors, services, signing, verify_offline
from zhiheng.ledger.models import Checkpoint

from .conftest import fill, raw, run_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(tmp_path, settings):
    """A key of this test's own: rotating the shared development key would break the other tests."""
    settings.LEDGER_KEY_FILE = tmp_path / "k.pem"
    settings.LEDGER_KEY_ID = ""
    signing.generate(settings.LEDGER_KEY_FILE)
    return settings.LEDGER_KEY_FILE


def rotated_log(key_file) -> tuple[Checkpoint, Checkpoint]:
    """Five entries signed under the first key, rotation, three more signed under the second."""
    fill(5)
    old = services.issue_checkpoint(reason="before")
    code, out, _ = run_command("keygen", "--force")
    assert code == 0 and "previous public key kept" in out
    fill(3)
    new = services.issue_checkpoint(reason="after")  # chained: consistency with the old one is checked
    return old, new


def test_keygen_force_keeps_the_old_public_key_in_the_history(key_file):
    old_public, old_id = signing.public_bytes().hex(), signing.key_id()
    code, out, _ = run_command("keygen", "--force")
    assert code == 0
    assert signing.key_id() != old_id and signing.public_bytes().hex() != old_public
    history = signing.history_path(key_file).read_text().splitlines()
    assert len(history) == 1 and history[0].split()[:2] == [old_id, old_public]
    assert history[0].split()[2].endswith("+08:00")
    assert f"retired {old_id} {old_public}" in out  # keygen prints the keyring, like pubkey
    code, out, _ = run_command("keygen")  # without --force nothing is rotated
    assert "key exists" in out and len(signing.history_path(key_file).read_text().splitlines()) == 1
    assert set(signing.keyring()) == {old_id, signing.key_id()}


def test_checkpoints_of_a_retired_key_still_verify(key_file):
    old, new = rotated_log(key_file)
    assert old.key_id != new.key_id and new.key_id == signing.key_id()
    for cp in (old, new):
        assert services.signature_ok(selectors.checkpoint_row(cp))
    report = services.verify_all()
    assert report.ok and report.checkpoints == 2
    code, out, _ = run_command("verify")
    assert code == 0 and "2 checkpoints verified" in out


def test_without_the_history_the_old_checkpoint_is_reported_forged(key_file):
    old, _ = rotated_log(key_file)
    signing.history_path(key_file).unlink()
    report = services.verify_all()
    assert not report.ok and report.kind == "forged-checkpoint" and f"#{old.pk}" in report.message


def test_each_checkpoint_is_checked_with_the_key_its_key_id_names(key_file):
    old, new = rotated_log(key_file)
    # an old-key signature relabelled with the current key's id: valid under *a* key, not under its own
    raw("UPDATE ledger_checkpoint SET key_id = ? WHERE id = ?", [new.key_id, old.pk])
    report = services.verify_all()
    assert not report.ok and report.kind == "forged-checkpoint" and f"#{old.pk}" in report.message


def test_an_unknown_key_id_is_reported_forged(key_file):
    fill(2)
    cp = services.issue_checkpoint()
    raw("UPDATE ledger_checkpoint SET key_id = ? WHERE id = ?", ["0123456789abcdef", cp.pk])
    assert services.verify_all().kind == "forged-checkpoint"


def test_an_unreadable_history_is_an_error_not_a_silent_pass(key_file):
    signing.history_path(key_file).write_text("abc not-hex 2026-01-01T00:00:00+08:00\n")
    with pytest.raises(signing.KeyMissing):
        signing.keyring()


def bundle_for(cp: Checkpoint, index: int) -> dict:
    entry = selectors.get_entry(index)
    return {
        "checkpoint": {
            "size": cp.size,
            "root": bytes(cp.root).hex(),
            "timestamp": signing.format_timestamp(cp.timestamp),
            "signature": bytes(cp.signature).hex(),
            "key_id": cp.key_id,
        },
        "entry": {"index": index, "entry": entry.text, "leaf_hash": bytes(entry.leaf_hash).hex()},
        "proof": {
            "index": index,
            "size": cp.size,
            "hashes": [h.hex() for h in selectors.inclusion_proof(index, cp.size)],
        },
    }


def test_proofs_under_a_retired_key_verify_with_the_keyring(key_file, tmp_path):
    old, new = rotated_log(key_file)
    # entry 2 under the new checkpoint, plus the old checkpoint (old key) and the consistency proof
    bundle = {
        **bundle_for(new, 2),
        "previous": bundle_for(old, 2)["checkpoint"],
        "consistency": {
            "first": old.size,
            "second": new.size,
            "hashes": [h.hex() for h in selectors.consistency_proof(old.size, new.size)],
        },
    }
    ring = {kid: [signing.public_bytes(k).hex() for k in keys] for kid, keys in signing.keyring().items()}
    assert verify_offline.verify_bundle(bundle, public_keys=ring) == []
    # with only the current key, the previous checkpoint (old key) no longer verifies
    failures = verify_offline.verify_bundle(bundle, signing.public_bytes().hex())
    assert failures == ["previous checkpoint signature does not verify"]
    # the management command uses this server's keyring
    code, out, _ = run_command("verify-proof", "-", stdin=json.dumps(bundle_for(old, 1)))
    assert code == 0 and "OK" in out
    # the standalone file takes the keys by id
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    args = [f"--key={kid}={hexkey}" for kid, keys in ring.items() for hexkey in keys]
    done = subprocess.run(
        [sys.executable, "-I", verify_offline.__file__, str(path), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0 and "OK" in done.stdout, done.stdout + done.stderr
    ledger.record("ledger.note")  # the log goes on under the new key
    assert services.issue_checkpoint().key_id == new.key_id
