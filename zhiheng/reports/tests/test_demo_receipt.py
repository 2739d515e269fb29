"""The demo's fixed receipt (issue 17's demo, docs/demo.md): `receive(receipt_code=)` is for the demo builder
only. The public form and the public API cannot choose a receipt — whatever a caller sends, the code is
drawn by `secrets`, and the code they sent opens nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhiheng.core.errors import NotFound
from zhiheng.reports import receipts, services
from zhiheng.reports.models import Report

CHOSEN = "DEM0-2026-0000-0000-0042"
PASSPHRASE = "chosen-by-the-caller"


def test_the_demo_builder_fixes_a_receipt_that_opens_its_report(world):
    given = services.receive(
        by=None,
        channel="web",
        subject="演示举报",
        body="演示",
        unit=world.unit.code,
        passphrase=PASSPHRASE,
        receipt_code=CHOSEN,
    )
    assert given.receipt == CHOSEN
    # typed as a person would read it: lower case, O for 0, without dashes
    opened = services.open_report(receipt="demo20260000 0000 0042", passphrase=PASSPHRASE, address="a")
    assert opened == given.report


@pytest.mark.parametrize("bad", ["DEM0-2026", "DEM0-2026-0000-0000-004U", "DEM0-2026-0000-0000-0042-1"])
def test_a_malformed_fixed_receipt_is_a_programming_error(world, bad):
    with pytest.raises(ValueError):
        services.receive(
            by=None, channel="web", subject="演示", body="演示", unit=world.unit.code, receipt_code=bad
        )
    assert not Report.objects.exists()


def _refuses_the_chosen_code(receipt: str) -> None:
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
    assert receipts.normal(receipt) != receipts.normal(CHOSEN)
    with pytest.raises(NotFound):
        services.open_report(receipt=CHOSEN, passphrase=PASSPHRASE, address="b")


def test_the_public_form_cannot_choose_the_receipt(world):
    fields = {"unit": world.unit.code, "subject": "反映问题", "body": "某某收受回扣", "anonymous": "on"}
    for name in ("receipt_code", "receipt"):
        response = Client().post("/report/", {**fields, name: CHOSEN, "passphrase": PASSPHRASE})
        assert response.status_code == 201, response.content.decode()[:2000]
        page = response.content.decode()
        _refuses_the_chosen_code(re.search(r'data-testid="receipt"[^>]*>([^<]+)<', page).group(1))


def test_the_public_api_cannot_choose_the_receipt(world, api_client):
    for name in ("receipt_code", "receipt"):
        response = api_client.post(
            "/api/v1/public/reports",
            {"subject": "工程回扣", "body": "某某收受回扣", "unit": world.unit.code, name: CHOSEN},
        )
        assert response.status_code == 201, response.content
        _refuses_the_chosen_code(response.json()["receipt"])
