from django import template

from zhiheng.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(amount):
    """¥1,234.00, or — when there is no amount."""
    return format_yuan(amount)
