"""What the apps' page forms share: a service's 422 put back on the form, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form

from zhiheng.core.errors import Invalid


class ErrorsFromRefusal:
    """Mixin: a service's 422 (`Invalid`, detail {"fields": {name: [message]}}) shown on the form's
    fields — a field the form lacks goes to the form's own errors."""

    def take(self, refusal: Invalid) -> None:
        form: Any = self
        fields = (refusal.detail or {}).get("fields") or {}
        for name, messages in fields.items():
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(name if name in form.fields else None, str(message))
        if not fields:
            form.add_error(None, refusal.message)


def submitted(form: Form, call: Callable[[dict[str, Any]], object]) -> bool:
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
