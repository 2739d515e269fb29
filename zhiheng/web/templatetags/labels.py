"""`{{ code|label:"vocabulary" }}`: a code's Chinese label (see zhiheng.web.labels)."""

from __future__ import annotations

from django import template

from zhiheng.web import labels

register = template.Library()


@register.filter(name="label")
def label(code: object, vocabulary: str) -> str:
    return labels.label(vocabulary, code)
