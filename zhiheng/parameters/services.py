"""Writes of parameters: set a scope's values, or clear a unit's override. Each is one new dated version
and one ledger entry; nothing is updated in place.

Lock → authorize → validate (the set's `clean`) → append the version → record in the ledger. The
district's row is the lock: a district's parameters (its default and its units' overrides) change one at a
time, so `clean` sees the values in force and no two changes interleave.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Unit

from . import registry, selectors
from .models import ParameterVersion


def can_set(person: Person, district: District) -> bool:
    """Only the district's commission admins set its parameters and its units' overrides."""
    return org_rules.is_commission_admin(person, district)


def _begin(
    namespace: str, by: Person | None, district: District | None, unit: Unit | None
) -> tuple[registry.ParameterSet, District, selectors.Effective]:
    owner = unit.district if unit is not None else district
    if owner is None or (district is not None and unit is not None):
        raise ValueError("a parameter change needs exactly one of district, unit")
    pset = registry.get(namespace)
    org_rules.ensure_commission_admin(by, owner, rule=pset.rule, action=pset.action)
    District.objects.select_for_update().filter(pk=owner.pk).first()
    return pset, owner, selectors.effective(namespace, unit, district=owner)


@transaction.atomic
def set_values(
    namespace: str,
    *,
    by: Person | None,
    values: Mapping[str, Any],
    district: District | None = None,
    unit: Unit | None = None,
) -> ParameterVersion:
    """Give the district's default (`district=`) or a unit's override (`unit=`) new values, in force from
    today. What the new values are is the set's `clean`: matters takes the values as given (None
    inherits), meetings merges them over the values in force. 403 for anyone but the district's commission
    admins, 422 with every field error; a refusal writes nothing. `by=None` is the system (demo, tests)."""
    pset, owner, state = _begin(namespace, by, district, unit)
    after = pset.clean(values, registry.Context(owner, unit, state.values))
    return _append(pset, by=by, district=owner, unit=unit, before=state.own, after=after)


@transaction.atomic
def clear(
    namespace: str, *, by: Person | None, unit: Unit | None = None, district: District | None = None
) -> ParameterVersion | None:
    """Make the scope inherit again (a unit the district's default, a district the SPEC's): a version
    saying "inherit". Nothing to clear writes nothing."""
    pset, owner, state = _begin(namespace, by, district, unit)
    if state.own is None:
        return None
    return _append(pset, by=by, district=owner, unit=unit, before=state.own, after=None)


def _append(
    pset: registry.ParameterSet,
    *,
    by: Person | None,
    district: District,
    unit: Unit | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> ParameterVersion:
    day = clock.today()
    shown_before, shown_after = pset.snapshot(before), pset.snapshot(after)
    where = f"unit:{unit.code}" if unit is not None else f"district:{district.code}"
    entry = ledger.record(
        pset.event,
        by=by,
        unit=unit.code if unit is not None else "",
        district="" if unit is not None else district.code,
        subject=f"{pset.subject}:{where}",
        payload={
            "scope": "unit" if unit is not None else "district",
            "district": district.code,
            "unit": unit.code if unit is not None else None,
            "before": shown_before,
            "after": shown_after,
            "changed": sorted(f for f in pset.fields if (before or {}).get(f) != (after or {}).get(f)),
            "effective_from": day.isoformat(),
        },
    )
    return ParameterVersion.objects.create(
        namespace=pset.namespace,
        district=district,
        unit=unit,
        values=after,
        in_force_from=day,
        set_by=by,
        ledger_index=entry.index,  # None while the entry waits for integration (batched sequencing) …
        ledger_pending=entry.pending,  # … which fills it in by this id (apps.py registers the resolver)
    )
