"""RF1's hook on the matters engine: the principal's refused attempt on a restricted matter (R-MAT-2)
is reported (core.attempts) before the refusal is raised. Whoever keeps such attempts — the risk app,
as an RF1 warning (risk.redflags.rf1) — keeps them even if the caller's transaction rolls back. The
engine names the attempt in its own terms and imports nothing above it (decision 0012)."""

from __future__ import annotations

from functools import wraps

from zhiheng.core import attempts

from .. import rules
from ..models import Matter


def _raises_rf1(func):
    """Report the principal's refused attempt ("matter.restricted_attempt"), then re-raise the refusal."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except rules.PrincipalAttempt as refusal:
            matter = Matter.objects.select_related("unit").get(pk=kwargs["matter"].pk)
            by = kwargs["by"]
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
