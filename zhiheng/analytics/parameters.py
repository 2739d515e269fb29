"""Whether a unit is a pilot unit 试点单位 (R-PIL-1), as a parameter set (decision 0011).

Neither org nor powers knows pilot units yet: the programme of pilots and phases is issue 18. Until it
records them, the commission marks a unit as a pilot here — a unit-level flag, set through
`parameters.set_values("analytics", unit=..., values={"pilot": True})` by the district's commission admins
(403 R-PIL-1), dated and recorded in the ledger ("analytics.pilot_set"). The analytics pages compare pilot
with non-pilot units by it. A district cannot make all its units pilots at once: the flag is per unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.parameters import Context, ParameterSet, register

from . import events

NAMESPACE = "analytics"
LABELS = {"pilot": _("试点单位")}
DEFAULTS: dict[str, Any] = {"pilot": False}


def clean(values: Mapping[str, Any], context: Context) -> dict[str, Any]:
    pilot = values.get("pilot")
    if pilot is not None and not isinstance(pilot, bool):
        raise Invalid("validation", "试点单位标记无效", {"fields": {"pilot": ["须为 true 或 false"]}})
    if pilot is not None and context.unit is None:
        raise Invalid("R-PIL-1", "试点单位逐个单位标记", {"fields": {"pilot": ["只能为单位设定"]}})
    return {"pilot": pilot}


PILOT = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("试点单位"),
        rule="R-PIL-1",
        action="标记试点单位",
        event=events.PILOT_SET.code,
        subject="analytics-pilot",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)
