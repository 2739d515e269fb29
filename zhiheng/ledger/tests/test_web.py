"""The ledger pages: login required, visibility per persona, the proof verified on the page."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from zhiheng import ledger
from zhiheng.ledger import services
from zhiheng.ledger.models import Checkpoint, VerificationRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(world):
    for i in range(5):
        ledger.record("ledger.note", by=world.deputy, unit="t-unit", subject="matter:42", payload={"i": i})
    ledger.record("ledger.note", unit="t-other", subject="matter:7")
    services.issue_checkpoint(reason="meeting-closed")
    ledger.record("ledger.note", unit="t-unit", subject="matter:43")
    return world


def test_pages_require_login(client, log):
    for url in ("/ledger/", "/ledger/entries/0/", "/ledger/entries/0/proof/"):
        assert client.get(url).status_code == 302


def test_admin_sees_checkpoints_entries_and_status(client, log):
    client.force_login(log.admin)
    html = client.get("/ledger/").content.decode()
    # The checkpoint's reason reads in Chinese (zhiheng.web.labels), not as its code.
    assert "防篡改账本" in html and "会议闭会" in html and "meeting-closed" not in html and "尚未验证" in html
    assert 'href="/ledger/entries/5/"' in html and 'href="/ledger/entries/0/"' in html


def test_search_by_subject_unit_and_type(client, log):
    client.force_login(log.admin)
    html = client.get("/ledger/", {"subject": "matter:42"}).content.decode()
    assert html.count('href="/ledger/entries/') == 5
    html = client.get("/ledger/", {"unit": "t-other"}).content.decode()
    assert html.count('href="/ledger/entries/') == 1
    html = client.get("/ledger/", {"type": "no.such"}).content.decode()
    assert "没有符合条件的记录" in html


def test_inspector_sees_only_their_unit(client, log):
    client.force_login(log.inspector)
    html = client.get("/ledger/").content.decode()
    assert 'href="/ledger/entries/0/"' in html and 'href="/ledger/entries/5/"' not in html
    assert client.get("/ledger/entries/5/").status_code == 404
    assert client.get("/ledger/entries/0/").status_code == 200


@pytest.mark.parametrize("persona", ["principal", "deputy", "staff", "outsider", "other_admin"])
def test_others_see_checkpoints_but_no_entries(client, log, persona):
    client.force_login(getattr(log, persona))
    html = client.get("/ledger/").content.decode()
    assert "会议闭会" in html and "/ledger/entries/" not in html
    assert client.get("/ledger/entries/0/").status_code == 404
    assert client.get("/ledger/entries/0/proof/").status_code == 404


def test_entry_page_shows_the_verified_proof(client, log):
    client.force_login(log.admin)
    html = client.get("/ledger/entries/2/").content.decode()
    assert "已验证" in html and "检查点 #" in html
    # Readable fields: who by name, the unit by name; the canonical JSON (with the username) behind a toggle.
    assert "李副甲" in html and "测试局" in html and "<details data-raw>" in html and "t-deputy" in html
    fragment = client.get("/ledger/entries/2/proof/", HTTP_HX_REQUEST="true").content.decode()
    assert "已验证" in fragment and "<html" not in fragment
    assert "待签发" in client.get("/ledger/entries/6/").content.decode()


def test_tampering_shows_as_failed_proof_on_the_page(client, log):
    from .conftest import raw

    raw("UPDATE ledger_checkpoint SET root = ?", [b"\x01" * 32])
    client.force_login(log.admin)
    assert "验证失败" in client.get("/ledger/entries/2/").content.decode()


def test_admin_runs_verification_and_issues_checkpoints(client, log):
    client.force_login(log.admin)
    assert client.post("/ledger/verify/").status_code == 302
    assert VerificationRun.objects.get().ok
    html = client.get("/ledger/").content.decode()
    assert "最近一次完整验证" in html and "通过" in html
    client.post("/ledger/checkpoint/")
    assert Checkpoint.objects.count() == 2


def test_non_admins_may_not_run_verification(client, log):
    client.force_login(log.inspector)
    r = client.post("/ledger/verify/")
    assert r.status_code == 403 and "R-LED-4" in r.content.decode()
    assert client.post("/ledger/checkpoint/").status_code == 403
    assert not VerificationRun.objects.exists() and Checkpoint.objects.count() == 1


def test_entry_links_include():
    html = render_to_string("ledger/entry_links.html", {"subject": "matter:42"})
    assert 'href="/ledger/?subject=matter%3A42"' in html and "账本记录" in html


def test_district_level_entries_stay_in_their_district_on_the_page(client, world):
    """Issue 9 hole 11: the ledger page lists and opens only the admin's own district-level entries."""
    own = ledger.record("ledger.note", district="testdistrict", subject="district:testdistrict")
    far = ledger.record("ledger.note", district="fardistrict", subject="district:fardistrict")
    client.force_login(world.admin)
    html = client.get("/ledger/").content.decode()
    assert f'href="/ledger/entries/{own.index}/"' in html
    assert f'href="/ledger/entries/{far.index}/"' not in html and "district:fardistrict" not in html
    assert client.get(f"/ledger/entries/{far.index}/").status_code == 404
    assert client.get(f"/ledger/entries/{far.index}/proof/").status_code == 404
    assert client.get(f"/ledger/entries/{own.index}/").status_code == 200
    client.force_login(world.other_admin)
    assert client.get(f"/ledger/entries/{far.index}/").status_code == 200
    assert client.get(f"/ledger/entries/{own.index}/").status_code == 404
