"""Reads of the inspections app: who holds a read grant on which unit now, the checks a person may see,
their reads and findings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import DistrictRole, DistrictRoleKind, Membership, Role

from .models import Finding, Inspection, Read
from .states import FindingState


def inspection_roles(person: Person, day: dt.date | None = None) -> QuerySet[DistrictRole]:
    """The person's current terms in a district's inspection groups."""
    return org.district_roles_of(person, day).filter(role=DistrictRoleKind.INSPECTION)


def _holds(person_id: int, day: dt.date) -> Q:
    """Inspections whose group the person serves in on `day`: the same district and group number (a check
    opened by a member without a group number is shared by the district's members without one)."""
    roles = org.current(
        DistrictRole.objects.filter(person_id=person_id, role=DistrictRoleKind.INSPECTION), day
    ).filter(district_id=OuterRef("unit__district_id"))
    return Q(Exists(roles.filter(group=OuterRef("group"))), group__isnull=False) | Q(
        Exists(roles.filter(group__isnull=True)), group__isnull=True
    )


def held_by(person_id: int, now: dt.datetime) -> QuerySet[Inspection]:
    """The checks whose read grant the person holds at `now`: their group's, open and not expired."""
    return Inspection.objects.filter(
        _holds(person_id, clock.local_date(now)), closed_at__isnull=True, expires_at__gt=now
    )


def open_checks_of(person: Person, day: dt.date) -> QuerySet[Inspection]:
    """The checks of the person's inspection group not yet closed, whatever their expiry: a branch of the
    matters visibility read (one UNION, compiled once; `units_under_grant` then keeps the unexpired)."""
    return Inspection.objects.filter(_holds(person.pk, day), closed_at__isnull=True)


def units_under_grant(checks: set[int], now: dt.datetime | None = None) -> set[int]:
    """The units of those checks whose grant holds at `now`."""
    moment = now or clock.now()
    return set(
        Inspection.objects.filter(pk__in=sorted(checks), expires_at__gt=moment).values_list(
            "unit_id", flat=True
        )
    )


def granted_units(person: Person) -> set[int]:
    """Unit ids the person may read now under a check they hold (R-SUP-2)."""
    if not person.is_authenticated:
        return set()
    return set(held_by(person.pk, clock.now()).values_list("unit_id", flat=True))


def active_inspection(person: Person, unit_id: int) -> Inspection | None:
    """The check under which `person` may read the unit now (the latest, if several), or None."""
    if not person.is_authenticated:
        return None
    return held_by(person.pk, clock.now()).filter(unit_id=unit_id).order_by("-opened_at", "-pk").first()


def list_inspections_for(person: Person) -> QuerySet[Inspection]:
    """Checks a person may see: those of the districts whose inspection groups they serve in or whose
    commission they administer, and — once opened — those of the units on whose team they are (the unit
    sees the check and its findings; its reads and sample only after it closes)."""
    if not person.is_authenticated:
        return Inspection.objects.none()
    districts = inspection_roles(person).values("district_id")
    admin = org.administered_districts(person).values("pk")
    team = org.current(
        Membership.objects.filter(person=person, role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]),
        clock.today(),
    ).values("unit_id")
    return (
        Inspection.objects.filter(
            Q(unit__district__in=districts) | Q(unit__district__in=admin) | Q(unit__in=team)
        )
        .select_related("unit", "unit__district", "opened_by", "closed_by")
        .order_by("-opened_at", "-pk")
    )


def get_inspection_for(person: Person, pk: int) -> Inspection:
    inspection = list_inspections_for(person).filter(pk=pk).first()
    if inspection is None:
        raise NotFound()
    return inspection


def reads_of(inspection: Inspection) -> QuerySet[Read]:
    return inspection.reads.select_related("person").order_by("at", "pk")


def findings_of(inspection: Inspection) -> QuerySet[Finding]:
    return inspection.findings.select_related("owner", "concerns", "recorded_by").order_by("deadline", "pk")


def get_finding_for(person: Person, inspection_id: int, pk: int) -> Finding:
    inspection = get_inspection_for(person, inspection_id)
    finding = findings_of(inspection).filter(pk=pk).first()
    if finding is None:
        raise NotFound()
    finding.inspection = inspection
    return finding


def overdue(today: dt.date | None = None) -> QuerySet[Finding]:
    """Rectification items past their deadline and not accepted (销号)."""
    return Finding.objects.filter(deadline__lt=today or clock.today()).exclude(state=FindingState.ACCEPTED)


def open_findings_owned_by(person: Person) -> QuerySet[Finding]:
    """The rectification items waiting for this person's answer."""
    return Finding.objects.filter(owner=person, state=FindingState.OPEN).select_related("inspection__unit")
