"""Who may see which ledger entries — decided for the interfaces (API, pages) from org's selectors.

  - A commission admin (DistrictRole commission_admin, current) sees every entry of every unit of the
    districts they administer, and the district-level entries (unit "").
  - A unit inspector (Membership role inspector, current) sees the entries of that unit.
  - Nobody else sees entries. Seeing an entry includes getting its inclusion proof (R-LED-3).
  - Checkpoints and consistency proofs reveal no entry: any authenticated person may get them.
Unknown and invisible entries answer alike: 404.

This module is the one place the ledger composes with a domain app; the ledger's core modules
(merkle, canonical, integrity, services, selectors, models) import none.
"""

from __future__ import annotations

from typing import Any

from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org

from . import selectors
from .models import Entry


def visible_units(person: Any) -> set[str]:
    """Unit codes whose entries `person` may see ("" = district-level entries). Empty: none."""
    if person is None or not person.is_authenticated:
        return set()
    districts = org.administered_districts(person)
    codes = set(org.list_units_for(person).filter(district__in=districts).values_list("code", flat=True))
    if districts.exists():
        codes.add("")
    codes |= set(
        org.current_memberships_of(person).filter(role="inspector").values_list("unit__code", flat=True)
    )
    return codes


def may_read_ledger(person: Any) -> bool:
    return bool(visible_units(person))


def get_entry_for(person: Any, index: int) -> Entry:
    if not 0 <= index < selectors.tree_size():
        raise NotFound()
    entry = selectors.get_entry(index)
    if entry.unit not in visible_units(person):
        raise NotFound()
    return entry


def list_entries_for(person: Any, **filters: str):
    return selectors.list_entries(units=visible_units(person), **filters)
