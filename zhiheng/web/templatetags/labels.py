"""Labels in templates (see zhiheng.web.labels):

{{ code|label:"vocabulary" }}   a code's Chinese label
{{ ref|subject }}               "meeting:8/item:3" → "会议 #8 · 议题 #3" (names for units and people)
{% payload entry.payload %}     a ledger payload as a definition list with Chinese keys
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from zhiheng.web import labels

register = template.Library()
HEX = re.compile(r"[0-9a-f]{16,}")


@register.filter(name="label")
def label(code: object, vocabulary: str) -> str:
    return labels.label(vocabulary, code)


@register.filter(name="subject")
def subject(ref: str | None) -> str:
    return labels.subject(ref)


def _value(value: Any) -> SafeString:
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value):
            return format_html(
                '<ol class="payload">{}</ol>', format_html_join("", "<li>{}</li>", ((_dl(v),) for v in value))
            )
        return _dl(value)
    text = str(value)
    if HEX.fullmatch(text):
        return format_html("<code>{}</code>", text)
    return format_html("{}", text)


def _dl(rows: list[Any]) -> SafeString:
    if not rows:
        return mark_safe("—")
    if not all(isinstance(r, tuple) for r in rows):
        return format_html_join("", "<div>{}</div>", ((_value(r),) for r in rows))
    return format_html(
        '<dl class="payload">{}</dl>',
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((name, _value(v)) for name, v in rows)),
    )


@register.simple_tag(name="payload")
def payload(data: Any, unit: str = "", event: str = "") -> SafeString:
    """A ledger entry's payload for people: Chinese keys, labelled codes, names instead of usernames."""
    rows = labels.payload(data, unit=unit, event=event)
    return _dl(rows) if isinstance(rows, list) else _value(rows)
