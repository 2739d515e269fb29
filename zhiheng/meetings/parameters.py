"""The meeting rules as a parameter set (R-MTG-2 quorum shares, R-MTG-3 blind statements, and the record
window of issue 9 hole 12): a district default and per-unit overrides, set by the district's commission
admins through `zhiheng.parameters.set_values("meetings", ...)`; each change is a dated version and one
"meeting.rules_set" ledger entry.

Who: only a commission admin of the district (403 R-MTG-2). The unit's principal may NOT switch blind
mode for the unit: blind statements protect the other members from following the one person the reform
constrains, so that person does not get to turn the protection off (or on and off around a given item);
the unit's choice is registered by the commission. See docs/decisions/0006-meetings.md.

A change names only what it changes: `clean` merges it over the values in force at the scope (a unit's
override starts from what the unit has today), so every version holds the whole set and a unit's
override replaces the district's default as a whole. Clearing a unit's override
(`parameters.clear("meetings", unit=...)`) brings the district default back.

Validation (422 R-MTG-2): shares are fractions num/den with 1 ≤ num ≤ den ≤ 100; the general quorum is at
least one half (a minority never decides for the team); the personnel quorum is no lower than the general
one (SPEC: personnel items need the stricter two thirds by default).

Rules are copied onto a meeting when it is convened (`Meeting.rules`), so a change never alters how an
open meeting is counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit
from zhiheng.parameters import Context, ParameterSet, effective, register

from . import tally

NAMESPACE = "meetings"
DEFAULTS: dict[str, Any] = {
    "quorum": {"num": 1, "den": 2, "strict": True},
    "personnel_quorum": {"num": 2, "den": 3, "strict": False},
    "blind_statements": False,
    # Issue 9 hole 12: how far from today a meeting may be dated (recorded from paper / convened ahead).
    "record_window": {"past_days": 7, "future_days": 30},
}
LABELS = {
    "quorum": _("法定人数"),
    "personnel_quorum": _("人事议题法定人数"),
    "blind_statements": _("背靠背表态"),
    "record_window": _("会议日期窗口"),
}
MAX_DEN = 100
MAX_WINDOW_DAYS = 90


def in_force(unit: Unit) -> tuple[dict[str, Any], str]:
    """The rules in force for a unit today and where they come from: "unit", "district" or "default"."""
    rules = effective(NAMESPACE, unit)
    return rules.values, rules.source


def as_tally(values: Mapping[str, Any]) -> tally.Rules:
    """The quorum shares of a rules dict (in force, or frozen on a meeting) for the tally."""

    def threshold(share: Mapping[str, Any]) -> tally.Threshold:
        return tally.Threshold(Fraction(share["num"], share["den"]), bool(share["strict"]))

    return tally.Rules(
        quorum=threshold(values["quorum"]), personnel_quorum=threshold(values["personnel_quorum"])
    )


def clean(changes: Mapping[str, Any], context: Context) -> dict[str, Any]:
    """Merge the changes over the values in force at the scope and validate the result (422 R-MTG-2)."""
    current = context.current
    values = {
        "quorum": {**current["quorum"], **(changes.get("quorum") or {})},
        "personnel_quorum": {**current["personnel_quorum"], **(changes.get("personnel_quorum") or {})},
        "blind_statements": current["blind_statements"]
        if changes.get("blind_statements") is None
        else changes["blind_statements"],
        "record_window": {**current["record_window"], **(changes.get("record_window") or {})},
    }
    fields: dict[str, list[str]] = {}
    for key in ("quorum", "personnel_quorum"):
        share = values[key]
        num, den = share.get("num"), share.get("den")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (num, den)):
            fields[key] = ["分子、分母须为整数"]
        elif not 1 <= num <= den <= MAX_DEN:
            fields[key] = [f"须满足 1 ≤ 分子 ≤ 分母 ≤ {MAX_DEN}"]
        elif not isinstance(share.get("strict"), bool):
            fields[key] = ["strict 须为 true 或 false"]
    if not isinstance(values["blind_statements"], bool):
        fields["blind_statements"] = ["须为 true 或 false"]
    window = values["record_window"]
    if set(window) != {"past_days", "future_days"} or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_WINDOW_DAYS for v in window.values()
    ):
        fields["record_window"] = [f"past_days、future_days 须为 0–{MAX_WINDOW_DAYS} 的整数天数"]
    if not fields:
        general = Fraction(values["quorum"]["num"], values["quorum"]["den"])
        personnel = Fraction(values["personnel_quorum"]["num"], values["personnel_quorum"]["den"])
        if general < Fraction(1, 2):
            fields["quorum"] = ["法定人数不得低于班子成员的一半"]
        if personnel < general or (
            personnel == general and values["quorum"]["strict"] and not values["personnel_quorum"]["strict"]
        ):
            fields["personnel_quorum"] = ["人事议题的法定人数不得低于一般议题"]
    if fields:
        raise Invalid("R-MTG-2", "议事规则无效", {"fields": fields})
    return values


MEETING_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("议事规则"),
        rule="R-MTG-2",
        action="设定议事规则",
        event="meeting.rules_set",
        subject="meeting-rules",
        labels=LABELS,
        defaults=DEFAULTS,
        clean=clean,
    )
)
