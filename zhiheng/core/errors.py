"""Domain errors. Each carries the SPEC rule id that refused the action, a zh-Hans message and detail.

Services raise these; the API maps them to {"error": {"rule", "message", "detail"}} with the status
below, and pages show the rule id with the message. Nothing else decides the status code.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    default_rule = "validation"

    def __init__(self, rule: str | None, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.rule = rule or self.default_rule
        self.message = message
        self.detail = detail or {}

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, "detail": self.detail}

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


class Forbidden(DomainError):
    """The rule forbids this actor (403)."""

    status = 403


class Conflict(DomainError):
    """Out of order, or conflicts with the current state (409)."""

    status = 409


class Invalid(DomainError):
    """Invalid input; field errors go in detail (422)."""

    status = 422


class NotFound(DomainError):
    """Unknown, or not visible to this actor — the two are indistinguishable on purpose (404)."""

    status = 404
    default_rule = "not-found"

    def __init__(self, message: str = "对象不存在或您无权查看", detail: dict[str, Any] | None = None) -> None:
        super().__init__("not-found", message, detail)


class Refusal(DomainError):
    """A refusal whose class names its SPEC rule (`default_rule`) and its usual message: each app's
    errors.py declares the refusals it raises from more than one place as subclasses, mixed with the
    status class (Forbidden, Conflict, Invalid), naming both in the class line so a refusal is one
    declaration, e.g. `class NotThePrincipal(Refusal, Forbidden, rule="R-DIV-5", message="…")`.
    The message and detail may still be given per case."""

    default_message = ""

    def __init_subclass__(cls, rule: str | None = None, message: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if rule is not None:
            cls.default_rule = rule
        if message is not None:
            cls.default_message = message

    def __init__(self, message: str | None = None, detail: dict[str, Any] | None = None) -> None:
        super().__init__(self.default_rule, message or self.default_message, detail)
