"""The API's JSON parser: a body is one JSON object of bounded, printable text (issue 10 finding 8).

Every write of the API takes an object (a schema); `null`, `"AAA"` or `[null, null]` used to pass as "no
fields given" and were accepted by endpoints whose fields are all optional. NUL characters are refused
everywhere: PostgreSQL cannot store them in text, and no Chinese title or reason needs one.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from zhiheng.core.errors import Invalid


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class ObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise Invalid("validation", "请求体不是有效的 JSON", {"body": str(exc)[:200]}) from exc
        if not isinstance(data, dict):
            raise Invalid("validation", "请求体须为 JSON 对象", {"body": type(data).__name__})
        if _has_nul(data):
            raise Invalid("validation", "请求内容不能包含空字符（NUL）", {"body": "NUL"})
        return data
