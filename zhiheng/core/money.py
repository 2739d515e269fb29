"""Money in yuan with exact decimals: two places, never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_DIGITS = 16  # up to 99 999 999 999 999.99 yuan — more than any unit's budget
DECIMAL_PLACES = 2


class MoneyError(ValueError):
    pass


def parse_yuan(value: object) -> Decimal:
    """Parse an amount from a decimal string or int; refuse floats, NaN, negatives and sub-cent digits."""
    if isinstance(value, float):
        raise MoneyError('金额必须以十进制字符串表示，例如 "49800.00"')
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"无法识别的金额：{value!r}") from exc
    if not amount.is_finite():
        raise MoneyError("金额必须是有限数值")
    if amount < 0:
        raise MoneyError("金额不能为负数")
    if amount != amount.quantize(CENT):
        raise MoneyError("金额最多保留两位小数（分）")
    if amount >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        raise MoneyError("金额超出允许范围")
    return amount.quantize(CENT)


def yuan_str(amount: Decimal | None) -> str | None:
    """The API's representation: a decimal string with two places."""
    return None if amount is None else str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def format_yuan(amount: Decimal | None) -> str:
    """Human display: ¥1,234,567.89."""
    if amount is None:
        return "—"
    return f"¥{Decimal(amount).quantize(CENT):,}"
