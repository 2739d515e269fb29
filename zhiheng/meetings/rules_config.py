"""Configurable meeting rules (R-MTG-2 quorum shares, R-MTG-3 blind statements): a district default and
per-unit overrides, set by the district's commission admins. Each change is a dated ledger act.

Who: only a commission admin of the district (org `commission_admin` on today's date). The unit's
principal may NOT switch blind mode for the unit: blind statements protect the other members from
following the one person the reform constrains, so that person does not get to turn the protection off
(or on and off around a given item); the unit's choice is registered by the commission. See
docs/decisions/0006-meetings.md.

Validation (422 R-MTG-2): shares are fractions num/den with 1 ≤ num ≤ den ≤ 100; the general quorum is at
least one half (a minority never decides for the team); the personnel quorum is no lower than the general
one (SPEC: personnel items need the stricter two thirds by default).

Rules are copied onto a meeting when it is convened (`Meeting.rules`), so a change never alters how an
open meeting is counted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Unit

from .models import MeetingRules

DEFAULTS: dict[str, Any] = {
    "quorum": {"num": 1, "den": 2, "strict": True},
    "personnel_quorum": {"num": 2, "den": 3, "strict": False},
    "blind_statements": False,
    # Issue 9 hole 12: how far from today a meeting may be dated (recorded from paper / convened ahead).
    "record_window": {"past_days": 7, "future_days": 30},
}
MAX_DEN = 100
MAX_WINDOW_DAYS = 90


def as_dict(row: MeetingRules | None) -> dict[str, Any]:
    if row is None:
        return {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULTS.items()}
    return {
        "quorum": {"num": row.quorum_num, "den": row.quorum_den, "strict": row.quorum_strict},
        "personnel_quorum": {
            "num": row.personnel_quorum_num,
            "den": row.personnel_quorum_den,
            "strict": row.personnel_quorum_strict,
        },
        "blind_statements": row.blind_statements,
        "record_window": {"past_days": row.past_days, "future_days": row.future_days},
    }


def district_row(district: District) -> MeetingRules | None:
    return MeetingRules.objects.filter(district=district, unit__isnull=True).first()


def unit_row(unit: Unit) -> MeetingRules | None:
    return MeetingRules.objects.filter(unit=unit).first()


def effective(unit: Unit) -> tuple[dict[str, Any], str]:
    """The rules in force for a unit and where they come from: "unit", "district" or "default"."""
    own = unit_row(unit)
    if own is not None:
        return as_dict(own), "unit"
    default = district_row(unit.district)
    return as_dict(default), "district" if default else "default"


def can_set_rules(person: Person, district: District) -> bool:
    return org_rules.is_commission_admin(person, district)


def _clean(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Merge the changes over the current values and validate the result (422 R-MTG-2)."""
    values = {
        "quorum": {**current["quorum"], **(changes.get("quorum") or {})},
        "personnel_quorum": {**current["personnel_quorum"], **(changes.get("personnel_quorum") or {})},
        "blind_statements": current["blind_statements"]
        if changes.get("blind_statements") is None
        else changes["blind_statements"],
        "record_window": {
            **current.get("record_window", DEFAULTS["record_window"]),
            **(changes.get("record_window") or {}),
        },
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


def _write(row: MeetingRules, values: dict[str, Any]) -> MeetingRules:
    row.quorum_num = values["quorum"]["num"]
    row.quorum_den = values["quorum"]["den"]
    row.quorum_strict = values["quorum"]["strict"]
    row.personnel_quorum_num = values["personnel_quorum"]["num"]
    row.personnel_quorum_den = values["personnel_quorum"]["den"]
    row.personnel_quorum_strict = values["personnel_quorum"]["strict"]
    row.blind_statements = values["blind_statements"]
    row.past_days = values["record_window"]["past_days"]
    row.future_days = values["record_window"]["future_days"]
    row.save()
    return row


def _ensure_admin(by: Person, district: District) -> None:
    org_rules.ensure_commission_admin(by, district, rule="R-MTG-2", action="设定议事规则")


def _lock(district: District) -> None:
    # One district's rules change one at a time: the district row is the lock (creating a row cannot
    # be locked before it exists).
    District.objects.select_for_update().filter(pk=district.pk).first()


def _record(by: Person, *, scope: str, district: District, unit: Unit | None, before, after) -> None:
    ledger.record(
        "meeting.rules_set",
        by=by,
        unit=unit.code if unit else "",
        district="" if unit else district.code,
        subject=f"meeting-rules:{'unit:' + unit.code if unit else 'district:' + district.code}",
        payload={
            "scope": scope,
            "district": district.code,
            "unit": unit.code if unit else None,
            "before": before,
            "after": after,
            "effective_from": clock.today().isoformat(),
        },
    )


@transaction.atomic
def set_district_rules(*, by: Person, district: District, **changes: Any) -> MeetingRules:
    """The district's default for every unit without its own rules."""
    _ensure_admin(by, district)
    _lock(district)
    row = district_row(district)
    before = as_dict(row) if row else None
    values = _clean(as_dict(row), changes)
    row = _write(row or MeetingRules(district=district), values)
    _record(by, scope="district", district=district, unit=None, before=before, after=values)
    return row


@transaction.atomic
def set_unit_rules(*, by: Person, unit: Unit, **changes: Any) -> MeetingRules:
    """A unit's override; values not given are taken from the rules in force for the unit."""
    _ensure_admin(by, unit.district)
    _lock(unit.district)
    row = unit_row(unit)
    current, _source = effective(unit)
    before = as_dict(row) if row else None
    values = _clean(current, changes)
    row = _write(row or MeetingRules(unit=unit, district=unit.district), values)
    _record(by, scope="unit", district=unit.district, unit=unit, before=before, after=values)
    return row


@transaction.atomic
def clear_unit_rules(*, by: Person, unit: Unit) -> None:
    """Drop a unit's override: the district default applies again."""
    _ensure_admin(by, unit.district)
    _lock(unit.district)
    row = unit_row(unit)
    if row is None:
        return
    before = as_dict(row)
    row.delete()
    _record(by, scope="unit", district=unit.district, unit=unit, before=before, after=None)
