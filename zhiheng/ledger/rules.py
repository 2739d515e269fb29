"""Who may do what with the ledger — decided for the interfaces (API, pages) from org's selectors.

An entry's scope is its unit, or — for an entry without a unit — its district (`Entry.district`, also
in the hashed payload), or neither (platform-level: the log's own notes, city-wide templates).
  - A commission admin (DistrictRole commission_admin, current) sees every entry of every unit of the
    districts they administer, the district-level entries of those districts, and the platform-level
    entries (they name no unit and no district, so they reveal nothing of another district).
  - A unit inspector (Membership role inspector, current) sees the entries of that unit.
  - Nobody else sees entries. Seeing an entry includes getting its inclusion proof (R-LED-3).
  - Entries without a unit appended before the scope was recorded (district NULL) are shown to nobody:
    their district is unknown, and guessing would repeat the leak (issue 9 hole 11). Full verification
    still covers them.
  - Checkpoints and consistency proofs reveal no entry: any authenticated person may get them.
Unknown and invisible entries answer alike: 404.

This module is the one place the ledger composes with a domain app; the ledger's core modules
(merkle, canonical, verification, services, selectors, models) import none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import Forbidden, NotFound
from zhiheng.org import selectors as org

from . import selectors
from .models import Entry, Pending


@dataclass(frozen=True)
class Scope:
    """What one person may read: unit codes, district codes (district-level entries), platform entries."""

    units: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    platform: bool = False

    def __bool__(self) -> bool:
        return bool(self.units or self.districts or self.platform)

    def allows(self, entry: Entry | Pending) -> bool:
        if entry.unit:
            return entry.unit in self.units
        if entry.district is None:  # appended before scopes were recorded
            return False
        if entry.district:
            return entry.district in self.districts
        return self.platform


def _scope_rows(person: int, day: dt.date) -> QuerySet[Any]:
    """("district", code) per district the person administers on `day`; ("unit", code) per unit of those
    districts and per unit where they are the inspector."""
    who = get_user_model()(pk=person)  # the ledger names no domain model: the person model, by setting
    districts = org.administered_districts(who, day)
    return (
        districts.order_by()
        .values_list(Value(_DISTRICT, output_field=CharField()), "code")
        .union(
            org.list_units_for(who, day)
            .filter(district__in=districts)
            .order_by()
            .values_list(Value(_UNIT, output_field=CharField()), "code"),
            org.current_memberships_of(who, day)
            .filter(role="inspector")
            .order_by()
            .values_list(Value(_UNIT, output_field=CharField()), "unit__code"),
            all=True,
        )
    )


_DISTRICT, _UNIT = "district", "unit"
# Every ledger read asks for the scope: one query compiled once per process instead of three built on
# each request (issue 12).
_SCOPE_ROWS: CompiledQuery[Any] = CompiledQuery(_scope_rows, person=int, day=dt.date)


def visible_scope(person: Any) -> Scope:
    if person is None or not person.is_authenticated:
        return Scope()
    units: set[str] = set()
    codes: set[str] = set()
    for tag, code in _SCOPE_ROWS.rows(person=person.pk, day=clock.today()):
        (codes if tag == _DISTRICT else units).add(code)
    return Scope(units=frozenset(units), districts=frozenset(codes), platform=bool(codes))


def visible_units(person: Any) -> set[str]:
    """Unit codes whose entries `person` may see (district-level entries: see visible_scope)."""
    return set(visible_scope(person).units)


def may_read_ledger(person: Any) -> bool:
    return bool(visible_scope(person))


def get_entry_for(person: Any, index: int) -> Entry:
    if not 0 <= index < selectors.tree_size():
        raise NotFound()
    entry = selectors.get_entry(index)
    if not visible_scope(person).allows(entry):
        raise NotFound()
    return entry


def pending_status_for(person: Any, pending: int) -> tuple[str, int | None]:
    """Batched sequencing: ("pending", None) while the entry recorded as `pending` waits for integration
    (待入账), ("integrated", index) once it is in the tree. Unknown and invisible alike: NotFound."""
    index = selectors.integrated_index(pending)
    if index is not None:
        get_entry_for(person, index)
        return "integrated", index
    row = selectors.get_pending(pending)
    if row is None or not visible_scope(person).allows(row):
        index = selectors.integrated_index(pending)  # integrated between the two reads
        if index is None:
            raise NotFound()
        get_entry_for(person, index)
        return "integrated", index
    return "pending", None


def awaiting_index(index: int) -> bool:
    """Is `index` not in the tree yet but certain to be given to an entry already recorded (待入账)? The
    pending entries receive the next indices, so size <= index < size + pending. Reveals only counts."""
    size = selectors.tree_size()
    return size <= index < size + selectors.pending_count()


def list_pending_for(person: Any) -> QuerySet[Pending]:
    scope = visible_scope(person)
    return selectors.list_pending(units=scope.units, districts=scope.districts, platform=scope.platform)


def list_entries_for(person: Any, **filters: str) -> QuerySet[Entry]:
    scope = visible_scope(person)
    return selectors.list_entries(
        units=scope.units, districts=scope.districts, platform=scope.platform, **filters
    )


def can_run_checks(person: Any) -> bool:
    """R-LED-4: a manual full verification or an unscheduled checkpoint is asked for by a commission admin
    (of any district: both cover the whole log and reveal no entry). The scheduled jobs and the
    `zhiheng ledger` command run them as the system."""
    return bool(
        person is not None and person.is_authenticated and org.administered_districts(person).exists()
    )


def ensure_can_run_checks(by: Any) -> None:
    if not can_run_checks(by):
        raise Forbidden("R-LED-4", _("只有纪委管理员可以发起账本验证或签发检查点"), {})
