"""R-SUP-3 "encrypted at rest" with rotation: `zhiheng reports rotate-key` re-seals every sealed value of the
reporting channel under a new key, then drops the old one; the ledger records the count, nothing else."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from zhiheng.ledger.models import Entry
from zhiheng.reports import sealing, services
from zhiheng.reports.models import Case, Report, ReportMessage

from .samples import SECRET_BODY, SECRET_NAME


@pytest.fixture
def closed_case(filed):
    report = filed.named.report
    services.write_as_handler(by=filed.admin, report=report, body="请提供转账日期")
    case = services.open_case(by=filed.admin, reports=[report], handlers=[filed.admin])
    services.close_case(by=filed.admin, case=case, outcome="dismissed", reason="查无实据")
    return case


def test_rotation_reseals_every_value_and_drops_the_old_key(closed_case, capsys):
    old_keys = sealing.read_keys()
    before = {report.pk: bytes(report.sealed_content) for report in Report.objects.all()}
    call_command("reports", "rotate-key")
    assert "re-sealed" in capsys.readouterr().out
    keys = sealing.read_keys()
    assert len(keys) == 1 and keys[0] not in old_keys
    for report in Report.objects.all():
        assert bytes(report.sealed_content) != before[report.pk]
        assert sealing.unseal(report.sealed_content)["body"]
    named = Report.objects.get(pk=closed_case.reports.get().pk)
    assert sealing.unseal(named.sealed_identity)["name"] == SECRET_NAME
    assert "请提供转账日期" in json.dumps(
        sealing.unseal(ReportMessage.objects.get().sealed_body), ensure_ascii=False
    )
    assert services.reason_of(Case.objects.get()) == "查无实据"


def test_rotation_is_in_the_ledger_with_a_count_only(closed_case):
    count = services.rotate_keys()
    entry = Entry.objects.filter(event_type="reports.keys_rotated").get()
    payload = json.loads(bytes(entry.data))["payload"]
    assert payload == {"values": count} and count == Report.objects.count() + 1 + 1 + 1
    assert SECRET_BODY not in bytes(entry.data).decode()


def test_a_value_sealed_under_a_dropped_key_no_longer_opens(filed):
    report = filed.named.report
    sealing.add_key()
    sealing.drop_old_keys()
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(report.sealed_content)
