"""Reads about organisation: who holds which role where, on which date, and which units a person sees."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery
from zhiheng.core.errors import NotFound

from .models import TEAM_ROLES, District, DistrictRole, DistrictRoleKind, Membership, Role, Unit

_Row = TypeVar("_Row", bound=Model)


def _on(day: dt.date | None) -> dt.date:
    return day or clock.today()


def current(qs: QuerySet[_Row], day: dt.date) -> QuerySet[_Row]:
    """Rows with start/end dates covering `day`."""
    return qs.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


def memberships_on(unit: Unit, day: dt.date | None = None) -> QuerySet[Membership]:
    return current(Membership.objects.filter(unit=unit), _on(day)).select_related("person")


def team_on(unit: Unit, day: dt.date | None = None) -> list[Membership]:
    """The team and staff of a unit on a date, principal first, then deputies, inspector, staff."""
    order = {Role.PRINCIPAL: 0, Role.DEPUTY: 1, Role.INSPECTOR: 2, Role.STAFF: 3}
    return sorted(memberships_on(unit, day), key=lambda m: (order[Role(m.role)], m.start, m.person.username))


def principal_of(unit: Unit, day: dt.date | None = None) -> Person | None:
    membership = memberships_on(unit, day).filter(role=Role.PRINCIPAL).first()
    return membership.person if membership else None


def roles_of(person: Person, unit: Unit, day: dt.date | None = None) -> set[str]:
    """The roles a person holds in a unit on a date (usually one)."""
    if not person.is_authenticated:
        return set()
    return set(
        current(Membership.objects.filter(unit=unit, person=person), _on(day)).values_list("role", flat=True)
    )


def is_team_member(person: Person, unit: Unit, day: dt.date | None = None) -> bool:
    return bool(roles_of(person, unit, day) & set(TEAM_ROLES))


def district_roles_of(person: Person, day: dt.date | None = None) -> QuerySet[DistrictRole]:
    if not person.is_authenticated:
        return DistrictRole.objects.none()
    return current(DistrictRole.objects.filter(person=person), _on(day)).select_related("district")


def administered_districts(person: Person, day: dt.date | None = None) -> QuerySet[District]:
    """Districts whose discipline commission this person administers on a date."""
    ids = district_roles_of(person, day).filter(role=DistrictRoleKind.COMMISSION_ADMIN).values("district_id")
    return District.objects.filter(pk__in=ids)


def list_units_for(person: Person, day: dt.date | None = None) -> QuerySet[Unit]:
    """Units a person may see: every unit of a district they administer, and units they belong to today."""
    if not person.is_authenticated:
        return Unit.objects.none()
    day = _on(day)
    member_of = current(Membership.objects.filter(person=person), day).values("unit_id")
    admin_of = administered_districts(person, day).values("pk")
    return (
        Unit.objects.filter(Q(pk__in=member_of) | Q(district__in=admin_of))
        .select_related("district")
        .order_by("district__code", "code")
    )


def _unit_for(person: int, code: str, day: dt.date) -> QuerySet[Unit]:
    return list_units_for(Person(pk=person), day).filter(code=code)[:1]


# Nearly every unit page and unit endpoint opens with this read: compiled once per process (issue 12).
_UNIT_FOR: CompiledQuery[Unit] = CompiledQuery(_unit_for, person=int, code=str, day=dt.date)


def get_unit_for(person: Person, code: str, day: dt.date | None = None) -> Unit:
    """A unit the person may see; 404 alike for unknown and invisible units."""
    if not person.is_authenticated:
        raise NotFound()
    # str.__str__: a plain str of any str subclass (a SafeString from a template, say), as the SQL binds it
    found = _UNIT_FOR.objects(person=person.pk, code=str.__str__(code), day=_on(day))
    if not found:
        raise NotFound()
    return found[0]


def get_membership(unit: Unit, membership_id: int) -> Membership:
    """One term of office of the unit (its history page lists them); NotFound otherwise."""
    membership = Membership.objects.filter(pk=membership_id, unit=unit).select_related("person").first()
    if membership is None:
        raise NotFound()
    return membership


def list_districts_for(person: Person, day: dt.date | None = None) -> QuerySet[District]:
    return administered_districts(person, day).order_by("code")


def current_memberships_of(person: Person, day: dt.date | None = None) -> QuerySet[Membership]:
    if not person.is_authenticated:
        return Membership.objects.none()
    return current(Membership.objects.filter(person=person), _on(day)).order_by("unit__code", "role")


def people_of_district(district: District) -> QuerySet[Person]:
    """Everyone who ever held a term in one of the district's units or a district role (any date)."""
    return Person.objects.filter(
        Q(memberships__unit__district=district) | Q(district_roles__district=district)
    ).distinct()


def standing_annotations(person_ref: str, day: dt.date | None = None) -> dict[str, Q]:
    """Annotations for rows that refer to a person through `person_ref` (issue 10, sign-in standing):
    `had_term` — ever held a unit term or a district role; `holds_term` — holds one today or one that
    is still to come. A person who had a term and holds none has left: their sign-in ends with it."""
    day = _on(day)
    ref = OuterRef(person_ref)
    not_over = Q(end__isnull=True) | Q(end__gte=day)
    return {
        "had_term": Exists(Membership.objects.filter(person=ref))
        | Exists(DistrictRole.objects.filter(person=ref)),
        "holds_term": Exists(Membership.objects.filter(not_over, person=ref))
        | Exists(DistrictRole.objects.filter(not_over, person=ref)),
    }


def has_left(person: Person, day: dt.date | None = None) -> bool:
    """Held a term or district role once, and holds none today or to come (people who never held one —
    platform operators, newly created accounts — have not left)."""
    standing = standing_annotations("pk", day)
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(had_term=standing["had_term"], holds_term=standing["holds_term"])
        .values("had_term", "holds_term")
        .first()
    )
    return bool(row and row["had_term"] and not row["holds_term"])


def current_district_codes(person: Person, day: dt.date | None = None) -> list[str]:
    """Codes of the districts a person belongs to today: through a unit term or a district role."""
    day = _on(day)
    via_units = current(Membership.objects.filter(person=person), day).values("unit__district_id")
    via_roles = current(DistrictRole.objects.filter(person=person), day).values("district_id")
    return list(
        District.objects.filter(Q(pk__in=via_units) | Q(pk__in=via_roles))
        .order_by("code")
        .values_list("code", flat=True)
    )


def districts_ever_of(person: Person) -> QuerySet[District]:
    """Districts a person ever belonged to (a unit term or a district role, any date): whose commission
    looks after their account (issue 10: revoking their API tokens)."""
    return District.objects.filter(
        Q(pk__in=Membership.objects.filter(person=person).values("unit__district_id"))
        | Q(pk__in=DistrictRole.objects.filter(person=person).values("district_id"))
    )
