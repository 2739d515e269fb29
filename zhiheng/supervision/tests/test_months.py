"""Pure: months, the report's totals and the change against last year (no database)."""

import datetime as dt
from decimal import Decimal

from zhiheng.supervision import contents, months, rf6


def test_months_parse_and_shift():
    assert months.parse("2026-10") == dt.date(2026, 10, 1)
    for bad in ("2026-13", "2026-00", "26-10", "2026-1", "2026-10-01", "", "１９９９-01"):
        assert months.parse(bad) is None, bad
    assert months.shift(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert months.shift(dt.date(2026, 11, 1), 14) == dt.date(2028, 1, 1)
    assert months.previous(dt.date(2026, 3, 2)) == dt.date(2026, 2, 1)
    assert months.code(dt.date(2026, 2, 1)) == "2026-02"
    assert months.label(dt.date(2026, 2, 1)) == "2026年2月"


def test_month_bounds_are_shanghai_midnights():
    start, end = months.bounds(dt.date(2026, 2, 1))
    assert start.isoformat() == "2026-02-01T00:00:00+08:00"
    assert end.isoformat() == "2026-03-01T00:00:00+08:00"


def _item(deputy, category, counterparty, amount):
    return {
        "deputy": deputy,
        "deputy_name": deputy.upper(),
        "category": category,
        "category_name": category,
        "counterparty": counterparty,
        "amount": amount,
    }


def test_totals_group_and_sort_by_amount():
    items = [
        _item("a", "finance", "甲", "100.00"),
        _item("b", "procurement", "乙", "300.00"),
        _item("a", "finance", "", "50.50"),
    ]
    totals = contents.totals(items)
    assert totals["by_deputy"] == [
        {"key": "b", "name": "B", "count": 1, "amount": "300.00"},
        {"key": "a", "name": "A", "count": 2, "amount": "150.50"},
    ]
    assert [r["key"] for r in totals["by_category"]] == ["procurement", "finance"]
    assert totals["by_counterparty"][-1] == {"key": "", "name": "（未填写）", "count": 1, "amount": "50.50"}


def test_change_pct():
    assert contents.change_pct(Decimal("90.00"), Decimal("50000.00")) == "-99.8"
    assert contents.change_pct(Decimal("112.50"), Decimal("100.00")) == "12.5"
    assert contents.change_pct(Decimal("10.00"), None) is None
    assert contents.change_pct(Decimal("10.00"), Decimal("0")) is None


def test_rf6_explanation_names_who_did_not_acknowledge():
    text = rf6.explanation(
        "测试局", "2026年2月", "2026-03-12", ["张一把（t-principal）", "陈纪检（t-inspector）"]
    )
    assert (
        "张一把（t-principal）、陈纪检（t-inspector）" in text and "2026-03-12" in text and "共 2 人" in text
    )
    assert rf6.source("t-unit", "2026-02") == "scan:rf6:monthly:t-unit:2026-02"
