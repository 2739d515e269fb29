"""RF1's hook on the matters engine: the principal's refused attempt on a restricted matter (R-MAT-2)
is reported (core.attempts) before the refusal is raised. Whoever keeps such attempts — the risk app,
as an RF1 warning (risk.redflags.rf1) — keeps them even if the caller's transaction rolls back. The
engine names the attempt in its own terms and imports nothing above it (decision 0012)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar, cast

from zhiheng.accounts.models import Person
from zhiheng.core import attempts

from .. import rules
from ..models import Matter

P = ParamSpec("P")
R = TypeVar("R")


def _raises_rf1(func: Callable[P, R]) -> Callable[P, R]:
    """Report the principal's refused attempt ("matter.restricted_attempt"), then re-raise the refusal."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except rules.PrincipalAttempt as refusal:
            # Every decorated service takes keyword-only `matter: Matter` and `by: Person`.
            matter = Matter.objects.select_related("unit").get(pk=cast(Matter, kwargs["matter"]).pk)
            by = cast(Person, kwargs["by"])
            attempts.report(
                "matter.restricted_attempt",
                actor=by.username,
                unit=matter.unit.code,
                subject=matter.subject,
                facts={
                    "action": refusal.detail.get("action", func.__name__),
                    "matter": matter.pk,
                    "title": matter.title,
                    "name": by.name,
                },
            )
            raise

    return wrapper
