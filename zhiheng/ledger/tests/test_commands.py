"""`zhiheng ledger ...`: exit codes and output."""

from __future__ import annotations

import json

import pytest

from zhiheng import ledger
from zhiheng.ledger import services, signing
from zhiheng.ledger.models import Checkpoint, VerificationRun

from .conftest import fill, raw, run_command

pytestmark = pytest.mark.django_db


def test_verify_exits_0_with_counts():
    fill(12)
    services.issue_checkpoint()
    code, out, _ = run_command("verify")
    assert code == 0 and out.strip() == "OK: 12 entries, 1 checkpoints verified"
    assert VerificationRun.objects.get().ok


def test_verify_exits_1_naming_the_first_failing_entry():
    fill(12)
    services.issue_checkpoint()
    raw("""DELETE FROM ledger_entry WHERE "index" = 4""")
    code, _, err = run_command("verify")
    assert code == 1
    assert "deleted" in err and "entry 4" in err
    assert VerificationRun.objects.get().kind == "deleted"


def test_checkpoint_command_issues_one():
    fill(2)
    code, out, _ = run_command("checkpoint", "--reason", "manual")
    assert code == 0 and out.startswith("checkpoint #") and Checkpoint.objects.get().size == 2


def test_keygen_is_idempotent_and_prints_the_public_key(tmp_path, settings):
    settings.LEDGER_KEY_FILE = tmp_path / "k.pem"
    code, out, _ = run_command("keygen")
    assert code == 0 and "key created" in out and (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    public = signing.public_bytes().hex()
    code, out, _ = run_command("keygen")
    assert "key exists" in out and public in out


def test_a_missing_key_in_production_is_an_error(tmp_path, settings):
    settings.LEDGER_KEY_FILE = tmp_path / "none.pem"
    settings.ENVIRONMENT = "production"
    with pytest.raises(signing.KeyMissing):
        signing.private_key()


def test_verify_proof_reads_a_bundle_from_stdin(api_client, world):
    ledger.record("ledger.note", unit="t-unit")
    ledger.record("ledger.note", unit="t-unit")
    admin = api_client.as_(world.admin)
    cp = admin.get("/api/v1/ledger/checkpoint").json()
    bundle = {
        "checkpoint": cp,
        "entry": admin.get("/api/v1/ledger/entries/1").json(),
        "proof": admin.get("/api/v1/ledger/proofs/inclusion", {"index": 1, "size": 2}).json(),
    }
    code, out, _ = run_command("verify-proof", "-", stdin=json.dumps(bundle))
    assert code == 0 and "OK" in out
    bundle["checkpoint"]["root"] = "00" * 32
    code, _, err = run_command("verify-proof", "-", stdin=json.dumps(bundle))
    assert code == 1 and "signature" in err and "root" in err


def test_the_standalone_verifier_runs_without_django(api_client, world, tmp_path):
    import subprocess
    import sys

    ledger.record("ledger.note", unit="t-unit")
    admin = api_client.as_(world.admin)
    bundle = {
        "checkpoint": admin.get("/api/v1/ledger/checkpoint").json(),
        "entry": admin.get("/api/v1/ledger/entries/0").json(),
        "proof": admin.get("/api/v1/ledger/proofs/inclusion", {"index": 0, "size": 1}).json(),
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    from zhiheng.ledger import verify_offline

    script = verify_offline.__file__
    done = subprocess.run(
        [sys.executable, "-I", script, str(path), "--public-key", signing.public_bytes().hex()],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout
