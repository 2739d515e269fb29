"""The declaration checks and RF12 as pure functions (R-GATE-2): each check fires on what it names and not
on a clean declaration; the score is the capped sum of the weights; property tests over random items."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhiheng.checkup import checks
from zhiheng.checkup.checks import ITEMS


def clean_items(**over):
    items = {key: [] for key in ITEMS}
    items.update(
        marriage={"status": "已婚"},
        salary=200000,
        real_estate=[{"owner": "本人", "address": "城南路1号", "area": 98, "value": 1200000}],
        businesses=[],
    )
    items.update(over)
    return items


def codes(found):
    return {c.code for c in found}


def test_a_complete_consistent_declaration_raises_nothing():
    assert checks.run(clean_items(), previous=clean_items(), counterparties=["另一家公司"]) == []


def test_completeness_names_every_item_left_out():
    items = clean_items()
    del items["investments"], items["family_abroad"]
    (found,) = checks.run(items)
    assert found.code == "completeness"
    assert ITEMS["investments"] in found.message and ITEMS["family_abroad"] in found.message


def test_arithmetic_catches_bad_amounts_areas_and_credit_codes():
    items = clean_items(
        salary="很多",
        real_estate=[{"address": "X", "area": 0, "value": -5}],
        businesses=[{"owner": "配偶", "name": "某公司", "credit_code": "91500000MA5U000000"}],
    )
    found = {c.code: c for c in checks.run(items)}
    assert set(found) == {"arithmetic"}
    message = found["arithmetic"].message
    assert "很多" in message and "面积" in message and "统一社会信用代码" in message and "-5" in message


def test_credit_code_checksum():
    assert checks.credit_code_valid("91350100M000100Y43")
    assert not checks.credit_code_valid("91350100M000100Y44")
    assert not checks.credit_code_valid("short")


def test_an_asset_that_disappears_and_income_that_jumps():
    before = clean_items()
    now = clean_items(real_estate=[], salary=400000)
    found = codes(checks.run(now, previous=before))
    assert found == {"asset_disappeared", "income_jump"}


def test_rf12_assets_growing_faster_than_declared_income():
    before = clean_items()
    grown = clean_items(
        real_estate=[
            {"owner": "本人", "address": "城南路1号", "area": 98, "value": 1200000},
            {"owner": "配偶", "address": "江北路8号", "area": 140, "value": 2600000},
        ]
    )
    found = {c.code: c for c in checks.run(grown, previous=before)}
    assert "RF12" in found
    assert "2,600,000.00" in found["RF12"].message
    # the same growth covered by the year's declared income is no flag
    covered = clean_items(salary=3000000, real_estate=grown["real_estate"])
    assert "RF12" not in codes(checks.run(covered, previous=clean_items(salary=2500000)))


def test_a_family_business_that_is_a_counterparty_of_the_unit():
    items = clean_items(
        businesses=[{"owner": "配偶", "name": "重庆 鑫达（建材）有限公司", "credit_code": ""}]
    )
    found = {c.code: c for c in checks.run(items, counterparties=["重庆鑫达建材有限责任公司"])}
    assert "counterparty" in found and "配偶" in found["counterparty"].message
    # the person's own business is a different question (R-MTG-9 covers them as a counterparty person)
    own = clean_items(businesses=[{"owner": "本人", "name": "重庆鑫达建材有限公司"}])
    assert "counterparty" not in codes(checks.run(own, counterparties=["重庆鑫达建材有限公司"]))


def test_weights_are_configurable_and_the_score_is_capped():
    items = {"salary": "x"}  # incomplete and wrong
    found = checks.run(items, weights={"completeness": 70, "arithmetic": 50})
    assert [c.weight for c in found] == [70, 50]
    assert checks.score(found) == 100
    assert checks.score([]) == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
items_strategy = st.dictionaries(st.sampled_from([*ITEMS, "extra"]), json_values, max_size=16)


@given(
    items=items_strategy, previous=st.none() | items_strategy, counterparties=st.lists(st.text(max_size=8))
)
def test_any_json_is_checked_never_refused_and_the_score_stays_in_range(items, previous, counterparties):
    found = checks.run(items, previous=previous, counterparties=counterparties)
    assert 0 <= checks.score(found) <= 100
    assert len({c.code for c in found}) == len(found)  # each check at most once
    assert {c.code for c in found} <= set(checks.CHECKS)
    assert ("completeness" in codes(found)) == (not set(ITEMS) <= set(items))
    for value in items.values():
        checks.readable(value)  # every value reads back as lines


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12))
def test_rf12_fires_exactly_when_growth_exceeds_income(growth, income):
    before = clean_items(real_estate=[], investments=[{"value": 1000}], salary=income)
    after = clean_items(real_estate=[], investments=[{"value": 1000 + growth}], salary=income)
    assert ("RF12" in codes(checks.run(after, previous=before))) == (Decimal(growth) > Decimal(income))
