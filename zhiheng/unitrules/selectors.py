"""Reads of the unit rules: a unit's rules (in force, or all), one rule with its versions (404 alike for
missing and invisible), the rules in force over one power (the matter page), a diff between two versions,
and the district's library of model rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.meetings.tally import PASSED
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit
from zhiheng.powers import selectors as powers
from zhiheng.powers.models import Power

from . import diffing, rules
from .models import ModelRule, Rule, RuleVersion
from .states import ModelStatus, RuleStatus


def onboarded_on(unit: Unit) -> dt.date:
    """The day the unit joined the system: a rule adopted before it may cite no meeting (none was held
    here); from that day every version cites the sealed meeting that passed it."""
    return unit.created_at.astimezone(clock.SHANGHAI).date()


def _current_versions() -> Prefetch[Any]:
    return Prefetch(
        "versions",
        queryset=RuleVersion.objects.select_related("item").prefetch_related("powers").order_by("-number"),
    )


def list_rules(unit: Unit, *, include_repealed: bool = False) -> QuerySet[Rule]:
    qs = Rule.objects.filter(unit=unit).select_related("unit", "model").prefetch_related(_current_versions())
    if not include_repealed:
        qs = qs.filter(status=RuleStatus.IN_FORCE)
    return qs.order_by("group", "code")


def list_rules_for_unit(
    person: Person, code: str, *, include_repealed: bool = False
) -> tuple[Unit, QuerySet[Rule]]:
    """The unit (404 alike for unknown and invisible) and its rules."""
    unit = org.get_unit_for(person, code)
    return unit, list_rules(unit, include_repealed=include_repealed)


def current_version(rule: Rule) -> RuleVersion:
    """The latest version (from the prefetch when there is one)."""
    return next(v for v in rule.versions.all() if v.number == rule.version)


def power_codes(version: RuleVersion) -> list[str]:
    return sorted(p.code for p in version.powers.all())


def get_rule_for(person: Person, unit_code: str, rule_code: str) -> Rule:
    unit = org.get_unit_for(person, unit_code)
    rule = list_rules(unit, include_repealed=True).filter(code=rule_code).first()
    if rule is None:
        raise NotFound()
    return rule


def versions_of(rule: Rule) -> list[RuleVersion]:
    return list(
        rule.versions.select_related("meeting", "item", "recorded_by")
        .prefetch_related("powers")
        .order_by("number")
    )


def get_version(rule: Rule, number: int) -> RuleVersion:
    version = (
        rule.versions.select_related("meeting", "item")
        .prefetch_related("powers")
        .filter(number=number)
        .first()
    )
    if version is None:
        raise NotFound()
    return version


def diff(rule: Rule, old: int | None = None, new: int | None = None) -> dict[str, Any]:
    """The line diff of version `old` (default: the one before `new`) → `new` (default: the one in force)
    of the rule (404 for a number it does not have)."""
    new = new or rule.version
    a, b = get_version(rule, old or max(new - 1, 1)), get_version(rule, new)
    rows = diffing.line_diff(a.body, b.body)
    return {
        "from": a.number,
        "to": b.number,
        "title": {"from": a.title, "to": b.title, "changed": a.title != b.title},
        "powers": {"from": power_codes(a), "to": power_codes(b)},
        "rows": rows,
        **diffing.stats(rows),
    }


def in_force_for_power(power: Power, viewer: Person) -> list[Rule]:
    """The unit's rules in force whose current version governs the power, as the viewer may see them (none
    for whoever does not see the unit: an inspection group reading a matter sees the matter, not the
    unit's rules)."""
    if not rules.can_view_rules(viewer, power.unit):
        return []
    return [
        r for r in list_rules(power.unit) if any(p.pk == power.pk for p in current_version(r).powers.all())
    ]


def unit_powers(unit: Unit, codes: list[str]) -> tuple[list[Power], list[str]]:
    """The unit's active powers named by `codes`, and the codes it has no power of."""
    found = {p.code: p for p in powers.list_powers(unit).filter(code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


# -- the district's library ------------------------------------------------------------------------------


def get_district_for_library(person: Person, code: str) -> District:
    district = District.objects.filter(code=code).first()
    if district is None or not rules.can_view_library(person, district):
        raise NotFound()
    return district


def list_models(district: District, *, include_withdrawn: bool = False) -> QuerySet[ModelRule]:
    qs = ModelRule.objects.filter(district=district).prefetch_related("categories")
    if not include_withdrawn:
        qs = qs.filter(status=ModelStatus.ACTIVE)
    return qs.order_by("group", "code")


def get_model_for(person: Person, pk: int) -> ModelRule:
    model = ModelRule.objects.select_related("district").filter(pk=pk).first()
    if model is None or not rules.can_view_library(person, model.district):
        raise NotFound()
    return model


def adoptions_of(model: ModelRule, person: Person) -> list[Rule]:
    """The rules adopted from the model, in the units the person sees."""
    visible = org.list_units_for(person).values("pk")
    return list(model.adoptions.filter(unit__in=visible).select_related("unit").order_by("unit__code"))


def adopting_items(unit: Unit) -> list[Item]:
    """The agenda items that passed at the unit's sealed meetings, latest first: what a form offers as the
    decision that adopted (or repealed) a rule."""
    return list(
        Item.objects.filter(meeting__unit=unit, meeting__state=MeetingState.SEALED, decision=PASSED)
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting_id", "number")[:200]
    )
