"""Forms that put a service's refusal of bad input back on the form (decision 0013: forms only shape the
input, services decide): `ErrorsFromRefusal` maps a 422's field errors onto the form's fields, `submitted`
runs one service call on a valid form. Every other refusal propagates to web/refusals.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.forms import BaseForm

from zhiheng.core.errors import Invalid


class ErrorsFromRefusal:
    """Mixin: a service's 422 (`Invalid`, detail {"fields": {name: [message]}}) shown on the form's
    fields — `field_aliases` names the form field of a service's field; a field the form lacks goes to
    the form's own errors."""

    field_aliases: ClassVar[dict[str, str]] = {}

    def take(self, refusal: Invalid) -> None:
        form: Any = self
        fields = (refusal.detail or {}).get("fields") or {}
        for name, messages in fields.items():
            target = self.field_aliases.get(name, name)
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(target if target in form.fields else None, str(message))
        if not fields:
            form.add_error(None, refusal.message)


def submitted(form: BaseForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Run the service on a valid form; False (the form now carrying the errors) when the input is refused
    — by the form's shape or by the service's 422. Every other refusal propagates."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except Invalid as refusal:  # bad input stays in the form, like the form's own errors
        form.take(refusal)  # type: ignore[attr-defined]
        return False
    return True
