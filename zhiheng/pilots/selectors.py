"""Reads of the pilot programmes (R-PIL-1): what a person may see (rules.can_view), NotFound alike for
missing and invisible programmes; and which units are pilot units, for analytics' comparison."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound
from zhiheng.org.models import District, Unit

from . import rules
from .models import Member, Programme, Visit


def _with_parts(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return qs.select_related("district").prefetch_related("members__unit", "phases", "rollout_units__unit")


def list_programmes_for(person: Person, district: District) -> QuerySet[Programme]:
    """The district's programmes the person may see: all of them for its commission admins; for a unit's
    principal or inspector, those their unit takes part in."""
    qs = Programme.objects.filter(district=district)
    if not rules.is_admin(person, district):
        units = rules.watched_unit_ids(person) if person.is_authenticated else set()
        qs = qs.filter(Q(members__unit_id__in=units) | Q(rollout_units__unit_id__in=units)).distinct()
    return _with_parts(qs.order_by("-created_at", "pk"))


def get_programme_for(person: Person, pk: int) -> Programme:
    programme = _with_parts(Programme.objects.filter(pk=pk)).first()
    if programme is None or not rules.can_view(person, programme):
        raise NotFound()
    return programme


def visits_for(person: Person, programme: Programme) -> QuerySet[Visit]:
    """The programme's visits the person may read: all of them for the commission; to their own units for
    a unit's principal or inspector."""
    qs = programme.visits.prefetch_related("units").order_by("on", "pk")
    if rules.is_admin(person, programme.district):
        return qs
    return qs.filter(units__in=rules.watched_unit_ids(person)).distinct()


def member_units(programme: Programme) -> list[Unit]:
    return [m.unit for m in programme.members.all()]


def remaining_units(programme: Programme) -> QuerySet[Unit]:
    """The district's units outside the pilot: those the rollout brings in."""
    return Unit.objects.filter(district=programme.district).exclude(
        pk__in=programme.members.values("unit_id")
    )


def running_programme_of(unit: Unit) -> Programme | None:
    """The programme not yet rolled out the unit takes part in, if any."""
    return Programme.objects.filter(members__unit=unit, rolled_out_on__isnull=True).first()


def pilot_unit_ids(unit_ids: Iterable[int]) -> set[int]:
    """The pilot units 试点单位 among these: the units taking part in a pilot programme (R-PIL-1). A unit the
    rollout brought in is not one — it is what the pilot is compared with."""
    ids = set(unit_ids)
    return {pk for pk in Member.objects.values_list("unit_id", flat=True).distinct() if pk in ids}


def programmes_of_unit(person: Person, unit: Unit) -> QuerySet[Programme]:
    """The programmes the unit takes part in (as a pilot unit or brought in by a rollout) that the person
    may see."""
    return (
        list_programmes_for(person, unit.district)
        .filter(Q(members__unit=unit) | Q(rollout_units__unit=unit))
        .distinct()
    )
