from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template

from zhiheng.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(amount: Decimal | None) -> str:
    """¥1,234.00, or — when there is no amount."""
    return format_yuan(amount)


@register.filter
def rule_value(value: Any) -> Any:
    """A matter-rules value for people: money as yuan, kinds and roles by their Chinese names."""
    from zhiheng.matters.models import MatterKind
    from zhiheng.matters.parameters import ROLE_LABELS

    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return format_yuan(value)
    if isinstance(value, list | tuple):
        labels = dict(MatterKind.choices) | ROLE_LABELS
        return "、".join(str(labels.get(v, v)) for v in value) or "—"
    return getattr(value, "name", value)


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""
