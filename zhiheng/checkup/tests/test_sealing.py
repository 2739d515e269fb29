"""R-GATE-2 "encrypted at rest": a dump of the database holds no plaintext of a declaration or an opinion's
reasons; keys live outside the database and rotate (a new key seals, the old still opens until every row
is re-sealed, then is dropped)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from zhiheng.checkup import sealing, services
from zhiheng.checkup.models import Declaration, Opinion
from zhiheng.core.tests.dumps import database_dump

from .test_checks import clean_items

SECRET_ADDRESS = "解放碑步行街甲号九十九楼"
SECRET_REASON = "举报其配偶经营的公司承接本单位工程"


@pytest.fixture(autouse=True)
def own_keys(settings, tmp_path):
    """These tests rotate and swap keys: on a key file of their own, not the process's (the demo snapshot
    other tests restore was sealed under that one)."""
    settings.CHECKUP_KEY_FILE = str(tmp_path / "keys")


@pytest.fixture
def filed(world):
    items = clean_items(
        real_estate=[{"owner": "本人", "address": SECRET_ADDRESS, "area": 80, "value": 900000}]
    )
    services.file_declaration(by=world.deputy, person=world.deputy, year=2025, items=items)
    services.issue_opinion(by=world.admin, person=world.deputy, status="objection", reasons=SECRET_REASON)
    return world


def test_a_dump_holds_no_plaintext(filed):
    dump = database_dump()
    assert "checkup_declaration" in dump or Declaration.objects.exists()
    for secret in (SECRET_ADDRESS, SECRET_REASON, "城南路", "900000"):
        assert secret not in dump
    # and the ledger entries say who filed and the score, not what was declared
    declaration = Declaration.objects.get()
    assert sealing.unseal(declaration.sealed_items)["real_estate"][0]["address"] == SECRET_ADDRESS


def test_rotation_reseals_every_row_and_the_old_key_can_go(filed, settings, tmp_path):
    old = sealing.read_keys()
    sealing.add_key()
    assert len(sealing.read_keys()) == 2 and sealing.read_keys()[1] == old[0]
    services.rotate_keys()
    assert sealing.read_keys() == sealing.read_keys()[:1] and sealing.read_keys()[0] != old[0]
    assert (
        sealing.unseal(Declaration.objects.get().sealed_items)["real_estate"][0]["address"] == SECRET_ADDRESS
    )
    opinion = Opinion.objects.get()
    assert sealing.unseal(opinion.sealed_reasons) == SECRET_REASON


def test_a_value_no_key_opens_is_an_error_not_garbage(filed, settings, tmp_path):
    settings.CHECKUP_KEY_FILE = str(tmp_path / "other-keys")  # a new key file: the rows' key is not in it
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(Declaration.objects.get().sealed_items)


def test_the_command_rotates(filed, capsys):
    before = sealing.read_keys()
    call_command("checkup", "rotate-key")
    assert sealing.read_keys() != before and len(sealing.read_keys()) == 1
    assert sealing.unseal(Opinion.objects.get().sealed_reasons) == SECRET_REASON
