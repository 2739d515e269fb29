"""Reads of parameters: the values in force for a scope on a day with the source of each, the versions
that set them, and the units whose own version sets a field to a value."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from zhiheng.core import clock
from zhiheng.org.models import District, Unit

from . import registry
from .models import ParameterVersion
from .registry import DEFAULT, DISTRICT, SOURCE_LABELS, UNIT

_RANK = {DEFAULT: 0, DISTRICT: 1, UNIT: 2}


@dataclass(frozen=True)
class Effective:
    """The values of a set in force at a scope (stored form), field by field with their source
    ("unit" / "district" / "default"), and the scope's own values (None: it sets nothing itself)."""

    namespace: str
    values: dict[str, Any]
    sources: dict[str, str]
    own: dict[str, Any] | None

    @property
    def source(self) -> str:
        """The most specific source of any field: "unit" when the unit sets anything, and so on."""
        return max(self.sources.values(), key=_RANK.__getitem__, default=DEFAULT)

    def rows(self) -> list[dict[str, Any]]:
        """One row per field for the pages: field, label, value, source, source_label."""
        labels = registry.get(self.namespace).labels
        return [
            {
                "field": f,
                "label": labels[f],
                "value": value,
                "source": self.sources[f],
                "source_label": SOURCE_LABELS[self.sources[f]],
            }
            for f, value in self.values.items()
        ]


def _scope(unit: Unit | None, district: District | None) -> Q:
    if unit is not None:
        return Q(unit=unit) | Q(district_id=unit.district_id, unit__isnull=True)
    if district is None:
        raise ValueError("a parameter scope needs a unit or a district")
    return Q(district=district, unit__isnull=True)


def effective(
    namespace: str, unit: Unit | None = None, *, district: District | None = None, day: dt.date | None = None
) -> Effective:
    """What is in force on `day` (default today) for the unit — its own value, else its district's
    default, else the SPEC default, field by field — or for the district itself (`district=`)."""
    pset = registry.get(namespace)
    scope = _scope(unit, district)
    versions = ParameterVersion.objects.filter(
        scope, namespace=namespace, in_force_from__lte=day or clock.today()
    )
    latest: dict[str, dict[str, Any] | None] = {}
    for v in versions.order_by("-in_force_from", "-pk").only("unit_id", "values"):
        latest.setdefault(UNIT if v.unit_id else DISTRICT, v.values)
        if len(latest) == (2 if unit is not None else 1):
            break
    values = {f: copy.deepcopy(pset.defaults.get(f)) for f in pset.fields}
    sources = dict.fromkeys(pset.fields, DEFAULT)
    for source in (DISTRICT, UNIT):
        for f, value in (latest.get(source) or {}).items():
            if f in values and value is not None:
                values[f], sources[f] = copy.deepcopy(value), source
    own = latest.get(UNIT if unit is not None else DISTRICT)
    return Effective(namespace, values, sources, copy.deepcopy(own))


@dataclass(frozen=True)
class Change:
    """One version as the history shows it: the version, its source label, and the labels of the fields
    it changed from the version before it at the same scope."""

    version: ParameterVersion
    source_label: str
    changed: list[str]

    def as_dict(self) -> dict[str, Any]:
        """For the API: when and by whom, from which day, at which scope, what (as the ledger shows it)."""
        v = self.version
        return {
            "at": v.created_at.astimezone(clock.SHANGHAI).isoformat(),
            "actor": v.set_by.username if v.set_by else "",
            "ledger_index": v.ledger_index,
            "in_force_from": v.in_force_from.isoformat(),
            "scope": v.scope,
            "inherit": v.inherits,
            "changed": self.changed,
            "values": registry.get(v.namespace).snapshot(v.values),
        }


def history(
    namespace: str, unit: Unit | None = None, *, district: District | None = None, inherited: bool = True
) -> list[Change]:
    """The versions that decide a scope's values, newest first: a unit's own and (`inherited`) its
    district's defaults, or a district's defaults."""
    pset = registry.get(namespace)
    scope = Q(unit=unit) if unit is not None and not inherited else _scope(unit, district)
    changes: list[Change] = []
    before: dict[str, dict[str, Any]] = {}
    for v in (
        ParameterVersion.objects.filter(scope, namespace=namespace)
        .select_related("set_by")
        .order_by("in_force_from", "pk")
    ):
        old, new = before.get(v.scope) or {}, v.values or {}
        changed = [str(pset.labels.get(f, f)) for f in pset.fields if old.get(f) != new.get(f)]
        changes.append(Change(v, str(SOURCE_LABELS[v.scope]), changed))
        before[v.scope] = new
    return changes[::-1]


def units_setting(namespace: str, field: str, value: Any, day: dt.date | None = None) -> QuerySet[Any]:
    """The ids of the units whose own version in force on `day` sets `field` to `value` (for instance
    where a person is the legal officer), as a subquery-ready values list."""
    day = day or clock.today()
    latest = (
        ParameterVersion.objects.filter(namespace=namespace, unit=OuterRef("unit"), in_force_from__lte=day)
        .order_by("-in_force_from", "-pk")
        .values("pk")[:1]
    )
    return ParameterVersion.objects.filter(
        namespace=namespace,
        unit__isnull=False,
        in_force_from__lte=day,
        pk=Subquery(latest),
        **{f"values__{field}": value},
    ).values_list("unit_id", flat=True)


def get_district_for(person: Any, code: str) -> District:
    """A district whose defaults this person may read and set: one they administer. 404 alike for
    unknown districts and the others (a unit's page shows its people the values in force)."""
    from zhiheng.core.errors import NotFound
    from zhiheng.org.selectors import list_districts_for

    district = list_districts_for(person).filter(code=code).first()
    if district is None:
        raise NotFound()
    return district
