"""Typed fields for a parameter set whose values are plain numbers: a declaration per field — label, kind
("int" | "float" | "money") and inclusive bounds — and the `clean` that checks them, so an app declares its
thresholds instead of writing their validation again (risk's thresholds, the check-up's pass mark and
weights)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zhiheng.core.errors import Invalid
from zhiheng.core.money import MoneyError, parse_yuan, yuan_str

from .registry import Context

# field → (label, kind, low, high)
Fields = Mapping[str, tuple[Any, str, float, float]]


def labels_of(fields: Fields) -> dict[str, Any]:
    return {name: label for name, (label, *_rest) in fields.items()}


def clean_value(kind: str, low: float, high: float, raw: Any) -> tuple[Any, str | None]:
    """(the value in stored form, None) or (None, the reason in Chinese)."""
    if kind == "money":
        try:
            amount = parse_yuan(raw)
        except MoneyError as exc:
            return None, str(exc)
        return yuan_str(amount), None
    try:
        if isinstance(raw, bool):
            raise ValueError
        value: float = int(raw) if kind == "int" else float(raw)
        if kind == "int" and isinstance(raw, float) and raw != int(raw):
            raise ValueError
    except (TypeError, ValueError):
        return None, "须为整数" if kind == "int" else "须为数字"
    if not low <= value <= high:
        return None, f"须在 {low:g} 到 {high:g} 之间"
    return value, None


def cleaner(fields: Fields, message: str) -> Callable[[Mapping[str, Any], Context], dict[str, Any]]:
    """The set's `clean`: shape and range of every field, in stored form; None/"" inherits; every field
    error at once (422 "validation" with `message`)."""

    def clean(values: Mapping[str, Any], context: Context) -> dict[str, Any]:
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, (_label, kind, low, high) in fields.items():
            raw = values.get(name)
            out[name] = None
            if raw in (None, ""):
                continue
            out[name], error = clean_value(kind, low, high, raw)
            if error:
                errors[name] = error
        if errors:
            raise Invalid("validation", message, errors)
        return out

    return clean
