"""RF12 and RF3 from a filed declaration (risk/redflags/declarations.py): raised once per declaration and
rule on the declarant's unit, saying where to look and nothing of what was declared."""

from __future__ import annotations

from zhiheng.checkup import services as checkup
from zhiheng.checkup.tests.test_checks import clean_items
from zhiheng.ledger import dispatch
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.risk.models import Warning


def _deliver():
    for index in Entry.objects.filter(event_type="checkup.declaration_filed").values_list("index", flat=True):
        dispatch.deliver(index, prefix="risk.")


def test_rf12_and_rf3_from_the_checks_of_a_declaration(mw):
    world = mw
    matters.submit(
        by=world.staff,
        unit=world.unit,
        power=world.power["finance"],
        title="采购建材",
        amount="100.00",
        budget_line=world.office,
        counterparty="重庆鑫达建材有限公司",
    )
    checkup.file_declaration(by=world.deputy, person=world.deputy, year=2025, items=clean_items())
    grown = clean_items(
        real_estate=[
            {"owner": "本人", "address": "城南路1号", "area": 98, "value": 1200000},
            {"owner": "配偶", "address": "江北路8号", "area": 140, "value": 2600000},
        ],
        businesses=[{"owner": "配偶", "name": "重庆鑫达建材有限责任公司"}],
    )
    declaration = checkup.file_declaration(by=world.deputy, person=world.deputy, year=2026, items=grown)
    _deliver()
    _deliver()  # a second delivery (replay, retry) raises nothing more
    warnings = Warning.objects.filter(subject=declaration.subject).order_by("rule")
    assert [(w.rule, w.unit_id) for w in warnings] == [("RF12", world.unit.pk), ("RF3", world.unit.pk)]
    for warning in warnings:
        assert world.deputy.name in warning.explanation
        assert "2600000" not in warning.explanation and "鑫达" not in warning.explanation  # stays sealed
    assert Warning.objects.filter(rule__in=["RF3", "RF12"]).count() == 2


def test_a_clean_declaration_raises_nothing(world):
    checkup.file_declaration(by=world.deputy, person=world.deputy, year=2025, items=clean_items())
    _deliver()
    assert not Warning.objects.filter(rule__in=["RF3", "RF12"]).exists()
