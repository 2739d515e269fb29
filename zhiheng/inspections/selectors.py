"""Reads of the inspections app: who holds a read grant on which unit now, the checks a person may see,
their reads and findings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import DistrictRole, DistrictRoleKind, Membership, Role, Unit

from . import sampling
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
    """Checks a person may see: their own inspection group's, every check of the districts whose
    commission they administer, and — once opened — those of the units on whose team they are (the unit
    sees the check and its findings; its reads and sample only after it closes)."""
    if not person.is_authenticated:
        return Inspection.objects.none()
    admin = org.administered_districts(person).values("pk")
    team = org.current(
        Membership.objects.filter(person=person, role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]),
        clock.today(),
    ).values("unit_id")
    return (
        Inspection.objects.filter(
            _holds(person.pk, clock.today()) | Q(unit__district__in=admin) | Q(unit__in=team)
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


# -- reads for the pages (zhiheng/inspections/web) ------------------------------------------------------


def units_to_inspect(person: Person) -> QuerySet[Unit]:
    """The units the person may open a check on: those of the districts whose inspection groups they serve
    in today (rules.can_open on each)."""
    districts = inspection_roles(person).values("district_id")
    return Unit.objects.filter(district__in=districts).select_related("district").order_by("district", "code")


def list_findings_for(person: Person) -> QuerySet[Finding]:
    """The rectification items of the checks the person sees (list_inspections_for), soonest deadline
    first."""
    return (
        Finding.objects.filter(inspection__in=list_inspections_for(person).values("pk"))
        .select_related("inspection__unit__district", "owner")
        .order_by("deadline", "pk")
    )


def awaiting_acceptance_by(person: Person) -> QuerySet[Finding]:
    """Answered items of the checks of the person's inspection group: theirs to accept or return
    (rules.can_judge)."""
    if not person.is_authenticated:
        return Finding.objects.none()
    mine = Inspection.objects.filter(_holds(person.pk, clock.today())).values("pk")
    return list_findings_for(person).filter(inspection__in=mine, state=FindingState.ANSWERED)


def awaiting_answer_by(person: Person, unit: Unit | None = None) -> QuerySet[Finding]:
    """Open items the person may answer (rules.can_answer): their own, and those of the units on whose
    leadership team they serve today; of one unit when given."""
    teams = org.current(
        Membership.objects.filter(person=person, role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]),
        clock.today(),
    ).values("unit_id")
    qs = list_findings_for(person).filter(
        Q(owner=person) | Q(inspection__unit__in=teams), state=FindingState.OPEN
    )
    return qs.filter(inspection__unit=unit) if unit is not None else qs


def sample_replay(inspection: Inspection) -> dict[str, object]:
    """The check's sample drawn again from its recorded seed and population (sampling.draw): anyone can see
    it was not chosen by hand."""
    replayed = sampling.draw(
        inspection.seed, sampling.from_rows(inspection.population), len(inspection.sample)
    )
    rows = [{"kind": c.kind, "id": c.id} for c in replayed]
    return {
        "seed": inspection.seed,
        "population_size": len(inspection.population),
        "population_sha256": sampling.digest(inspection.population),
        "sample": inspection.sample,
        "replayed": rows,
        "reproducible": rows == [{"kind": s["kind"], "id": s["id"]} for s in inspection.sample],
    }


# -- the integrity archive's interface (issues 16 and 20: departure dossiers, integrity files) ----------


def findings_about(person: Person, start: dt.date, end: dt.date | None = None) -> QuerySet[Finding]:
    """Findings of checks opened within [start, end] that concern the person — named in `concerns`, or
    owning the rectification — oldest first; `.exclude(state="accepted")` gives the open ones."""
    qs = Finding.objects.filter(Q(concerns=person) | Q(owner=person), inspection__opened_at__date__gte=start)
    if end is not None:
        qs = qs.filter(inspection__opened_at__date__lte=end)
    return qs.select_related("inspection__unit").order_by("inspection__opened_at", "pk")
