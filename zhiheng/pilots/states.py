"""A pilot programme's phases and stages, and the pure rules on their dates (R-PIL-1): no queries.

The phases come in the seed's order — 动员教育 mobilisation and education, 制定制度 rule-making, 正式实施
formal implementation — each "from" a date; the dates of the phases set are strictly increasing in that
order. A phase that has begun is history: it is neither moved nor removed. Once formal implementation has
begun the pilot's units are fixed (a unit cannot leave a pilot in force, nor join one whose figures are
already being compared), and the rollout 推开 to the rest of the district comes after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from itertools import pairwise

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseName(models.TextChoices):
    """The seed's three phases; the value is the Chinese name the API answers (API.md: {"name", "from"})."""

    MOBILISATION = "动员教育", _("动员教育")
    RULEMAKING = "制定制度", _("制定制度")
    IMPLEMENTATION = "正式实施", _("正式实施")


ORDER: tuple[str, ...] = tuple(PhaseName.values)


class Stage(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    MOBILISATION = "mobilisation", _("动员教育")
    RULEMAKING = "rulemaking", _("制定制度")
    IMPLEMENTATION = "implementation", _("正式实施")
    ROLLED_OUT = "rolled_out", _("已全面推开")


STAGE_OF_PHASE = {
    PhaseName.MOBILISATION: Stage.MOBILISATION,
    PhaseName.RULEMAKING: Stage.RULEMAKING,
    PhaseName.IMPLEMENTATION: Stage.IMPLEMENTATION,
}


def in_order(phases: Mapping[str, dt.date]) -> bool:
    """Whether the dates of the phases set are strictly increasing in the seed's order."""
    days = [phases[name] for name in ORDER if name in phases]
    return all(a < b for a, b in pairwise(days))


def begun(phases: Mapping[str, dt.date], name: str, today: dt.date) -> bool:
    day = phases.get(name)
    return day is not None and day <= today


def stage(phases: Mapping[str, dt.date], rolled_out_on: dt.date | None, today: dt.date) -> str:
    """Where the programme stands on `today`: rolled out once the rollout date has come, else the latest
    phase begun, else planned."""
    if rolled_out_on is not None and rolled_out_on <= today:
        return Stage.ROLLED_OUT
    current = Stage.PLANNED
    for name in ORDER:
        if begun(phases, name, today):
            current = STAGE_OF_PHASE[PhaseName(name)]
    return current


def units_fixed(phases: Mapping[str, dt.date], rolled_out: bool, today: dt.date) -> bool:
    """The pilot's units are fixed once formal implementation has begun, or the rollout is decided."""
    return rolled_out or begun(phases, PhaseName.IMPLEMENTATION, today)


def rollout_follows(phases: Mapping[str, dt.date], on: dt.date) -> bool:
    """The rollout comes strictly after formal implementation began (which must be set)."""
    start = phases.get(PhaseName.IMPLEMENTATION)
    return start is not None and start < on
