"""Money in yuan with exact decimals: two places, never a float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_DIGITS = 16  # up to 99 999 999 999 999.99 yuan — more than any unit's budget
DECIMAL_PLACES = 2


class MoneyError(ValueError):
    pass


_YUAN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?", re.ASCII)


def parse_yuan(value: object) -> Decimal:
    """Parse an amount of yuan from a decimal string ("49800.00", "1,234.5") or a whole int.

    Refused (issue 10 finding 8): floats, booleans (`true` is not ¥1.00), exponents ("1e5"), NaN and
    infinities, negatives, sub-cent digits, non-ASCII digits (full-width, Arabic-Indic) and anything at
    or beyond MAX_DIGITS — checked on the text before any Decimal arithmetic, so no size overflows it.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MoneyError('金额必须以十进制字符串表示，例如 "49800.00"')
    text = str(value).strip()
    if text.startswith("-"):
        raise MoneyError("金额不能为负数")
    if not _YUAN.fullmatch(text):
        raise MoneyError(f'无法识别的金额：{str(value)[:40]!r}（应为十进制字符串，例如 "49800.00"）')
    whole = text.split(".")[0].replace(",", "")
    if len(whole.lstrip("0")) > MAX_DIGITS - DECIMAL_PLACES:
        raise MoneyError("金额超出允许范围")
    return Decimal(text.replace(",", "")).quantize(CENT)


def yuan_str(amount: Decimal | None) -> str | None:
    """The API's representation: a decimal string with two places."""
    return None if amount is None else str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def format_yuan(amount: Decimal | None) -> str:
    """Human display: ¥1,234,567.89."""
    if amount is None:
        return "—"
    return f"¥{Decimal(amount).quantize(CENT):,}"
