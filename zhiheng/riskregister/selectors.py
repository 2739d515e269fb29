"""Reads of the risk register: a unit's points as the person may see them, one point (404 alike for missing
and invisible), the reviews overdue, and each point's incidents — the operations on its power that call its
grading into question ("linked to operations", issue 18 part 3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.inspections.models import Finding
from zhiheng.matters.models import Matter
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, Unit
from zhiheng.reports import rules as report_rules
from zhiheng.risk import selectors as risk
from zhiheng.risk.models import Warning

from . import rules
from .models import Revision, RiskPoint
from .states import Status


def list_points(unit: Unit, person: Person, *, status: str | None = None) -> QuerySet[RiskPoint]:
    """The unit's points the person sees (the caller has checked the unit is visible): the published
    register for everyone holding a term there, every point for the team and the commission."""
    qs = RiskPoint.objects.filter(unit=unit).select_related("unit", "power", "owner")
    if not rules.sees_drafts(person, unit):
        if not rules.can_view_register(person, unit):
            return qs.none()
        qs = qs.filter(status=Status.PUBLISHED)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("power__code", "grade", "pk")


def list_points_for_unit(
    person: Person, code: str, *, status: str | None = None
) -> tuple[Unit, QuerySet[RiskPoint]]:
    """The unit (404 alike for unknown and invisible) and its points as the person sees them."""
    unit = org.get_unit_for(person, code)
    return unit, list_points(unit, person, status=status)


def get_point_for(person: Person, pk: int) -> RiskPoint:
    point = RiskPoint.objects.select_related("unit", "unit__district", "power", "owner").filter(pk=pk).first()
    if point is None or not person.is_authenticated or not rules.can_view(person, point):
        raise NotFound()
    return point


def revisions_of(point: RiskPoint) -> QuerySet[Revision]:
    return point.revisions.select_related("by").order_by("-number")


def grade_counts(points: QuerySet[RiskPoint]) -> dict[str, int]:
    """{"A": n, "B": n, "C": n, "D": n} of the points that are not retired."""
    counts = Counter(points.exclude(status=Status.RETIRED).values_list("grade", flat=True))
    return {g: counts.get(g, 0) for g in ("A", "B", "C", "D")}


def overdue(person: Person, day: dt.date | None = None) -> QuerySet[RiskPoint]:
    """Points whose review is overdue (or required) in the units the person may see them in: the team's
    units and the districts the person administers."""
    day = day or clock.today()
    if not person.is_authenticated:
        return RiskPoint.objects.none()
    teams = org.current_memberships_of(person).filter(role__in=TEAM_ROLES).values("unit_id")
    administered = org.administered_districts(person).values("pk")
    return (
        RiskPoint.objects.filter(Q(unit__in=teams) | Q(unit__district__in=administered))
        .exclude(status=Status.RETIRED)
        .filter(Q(review_due__lt=day) | Q(review_required_at__isnull=False))
        .select_related("unit", "power", "owner")
        .order_by("review_due", "pk")
    )


# -- incidents: operations on the point's power ---------------------------------------------------------


@dataclass
class Incidents:
    """What happened on the point's power: warnings whose matter is of the power (risk), inspection findings
    whose evidence names such a matter, and — counted only, for the commission's handlers who are not
    concerned — reports about such a matter. `since` is the last review (or the point's creation);
    `needs_review` is set when an incident the viewer may know of is newer, when the point's review is
    overdue, or when a review was required."""

    warnings: list[Warning] = field(default_factory=list)
    warnings_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    reports_count: int | None = None  # None: the viewer may not know of reports
    latest: dt.datetime | None = None
    since: dt.datetime | None = None
    overdue: bool = False
    required: bool = False
    needs_review: bool = False
    show_warnings: bool = False

    @property
    def total(self) -> int:
        return self.warnings_count + len(self.findings) + (self.reports_count or 0)


def _matters_of(point: RiskPoint) -> QuerySet[Matter]:
    return Matter.objects.filter(unit=point.unit_id, power=point.power_id)


def warnings_on(point: RiskPoint) -> QuerySet[Warning]:
    """Warnings raised on a matter of the point's power (Warning.subject is "matter:<id>")."""
    subjects = (
        _matters_of(point)
        .annotate(ref=Concat(Value("matter:"), Cast("pk", CharField()), output_field=CharField()))
        .values("ref")
    )
    return Warning.objects.filter(unit=point.unit_id, subject__in=subjects).order_by("-created", "-pk")


def _refs(evidence: Any) -> set[int]:
    """The matters a finding's evidence names."""
    return {
        int(ref["id"])
        for ref in evidence or ()
        if isinstance(ref, dict) and ref.get("kind") == "matter" and str(ref.get("id", "")).isdigit()
    }


def _matter_refs(finding: Finding) -> set[int]:
    return _refs(finding.evidence)


def findings_on(point: RiskPoint) -> list[Finding]:
    """Findings of the unit's checks whose evidence names a matter of the point's power."""
    findings = list(Finding.objects.filter(inspection__unit=point.unit_id).order_by("-created_at", "-pk"))
    named = set().union(*(_matter_refs(f) for f in findings)) if findings else set()
    if not named:
        return []
    of_power = set(_matters_of(point).filter(pk__in=named).values_list("pk", flat=True))
    return [f for f in findings if _matter_refs(f) & of_power]


def incidents_of(point: RiskPoint, viewer: Person | None = None) -> Incidents:
    """The point's incidents as `viewer` may know of them (None: the system — warnings and findings, never
    reports). Warnings are listed to the unit inspector and the commission (as risk.rules shows them) and
    counted for them only; findings (which the unit answers) to everyone who sees the point; reports are
    only ever a count, for the district's handlers not concerned by them (reports.rules.visible_reports)."""
    since = point.reviewed_at or point.created_at
    found = Incidents(since=since, required=point.review_required_at is not None)
    found.overdue = point.status != Status.RETIRED and point.review_due < clock.today()
    supervisor = viewer is None or rules.can_see_incident_details(viewer, point.unit)
    moments: list[dt.datetime] = []
    if supervisor:
        warnings = warnings_on(point)
        if viewer is not None:
            warnings = warnings.filter(pk__in=risk.visible_warnings(viewer).values("pk"))
        found.warnings = list(warnings[:50])
        found.warnings_count = warnings.count()
        found.show_warnings = True
        moments += [w.created for w in found.warnings[:1]]
    found.findings = findings_on(point)
    moments += [f.created_at for f in found.findings[:1]]
    if viewer is not None and viewer.is_authenticated:
        reports = report_rules.visible_reports(viewer).filter(matter__power=point.power_id)
        if org.administered_districts(viewer).filter(pk=point.unit.district_id).exists():
            found.reports_count = reports.count()
            latest_report = reports.order_by("-received_at").values_list("received_at", flat=True).first()
            if latest_report is not None:
                moments.append(latest_report)
    found.latest = max(moments) if moments else None
    newer = found.latest is not None and since is not None and found.latest > since
    found.needs_review = point.status != Status.RETIRED and (newer or found.overdue or found.required)
    return found


def flags_for(points: list[RiskPoint], viewer: Person) -> dict[int, bool]:
    """{point pk: needs review} for a list of points, as `incidents_of` decides it for the viewer, in a few
    queries whatever the number of points: the latest incident the viewer may know of on each (unit, power)
    — warnings, findings — and on each power — reports — read in bulk."""
    if not points:
        return {}
    units = {p.unit_id: p.unit for p in points}
    supervised = {pk for pk, unit in units.items() if rules.can_see_incident_details(viewer, unit)}
    warned = _latest_warnings(supervised, viewer)
    found = _latest_findings(set(units))
    reported = _latest_reports({p.power_id for p in points}, viewer)
    administered = set(org.administered_districts(viewer).values_list("pk", flat=True))
    today = clock.today()
    flags: dict[int, bool] = {}
    for p in points:
        key = (p.unit_id, p.power_id)
        moments = [m for m in (warned.get(key), found.get(key)) if m is not None]
        if p.unit.district_id in administered and p.power_id in reported:
            moments.append(reported[p.power_id])
        since = p.reviewed_at or p.created_at
        newer = bool(moments) and since is not None and max(moments) > since
        lapsed = p.review_due < today or p.review_required_at is not None
        flags[p.pk] = p.status != Status.RETIRED and (newer or lapsed)
    return flags


def _matters_by_pk(pks: set[int]) -> dict[int, tuple[int, int]]:
    """{matter pk: (unit, power)}."""
    rows = Matter.objects.filter(pk__in=pks).values_list("pk", "unit_id", "power_id")
    return {pk: (unit, power) for pk, unit, power in rows}


def _latest_warnings(unit_ids: set[int], viewer: Person) -> dict[tuple[int, int], dt.datetime]:
    """{(unit, power): the newest warning on a matter of that power in that unit} the viewer may see."""
    if not unit_ids:
        return {}
    rows = (
        risk.visible_warnings(viewer)
        .filter(unit_id__in=unit_ids, subject__startswith="matter:")
        .values("unit_id", "subject")
        .annotate(latest=Max("created"))
        .order_by()
    )
    by_matter = {
        int(r["subject"].removeprefix("matter:")): (r["unit_id"], r["latest"])
        for r in rows
        if r["subject"].removeprefix("matter:").isdigit()
    }
    out: dict[tuple[int, int], dt.datetime] = {}
    for pk, (unit, power) in _matters_by_pk(set(by_matter)).items():
        warned_unit, moment = by_matter[pk]
        if warned_unit == unit:
            out[(unit, power)] = max(moment, out.get((unit, power), moment))
    return out


def _latest_findings(unit_ids: set[int]) -> dict[tuple[int, int], dt.datetime]:
    """{(unit, power): the newest finding of the unit's checks whose evidence names a matter of the power}."""
    findings = list(
        Finding.objects.filter(inspection__unit__in=unit_ids).values_list(
            "inspection__unit_id", "evidence", "created_at"
        )
    )
    refs = [(unit, _refs(evidence), moment) for unit, evidence, moment in findings]
    matters = _matters_by_pk(set().union(*(r for _u, r, _m in refs)) if refs else set())
    out: dict[tuple[int, int], dt.datetime] = {}
    for unit, named, moment in refs:
        for pk in named:
            if pk in matters and matters[pk][0] == unit:
                key = matters[pk]
                out[key] = max(moment, out.get(key, moment))
    return out


def _latest_reports(power_ids: set[int], viewer: Person) -> dict[int, dt.datetime]:
    """{power: the newest report about a matter of the power} among those the viewer handles."""
    rows = (
        report_rules.visible_reports(viewer)
        .filter(matter__power__in=power_ids)
        .values("matter__power_id")
        .annotate(latest=Max("received_at"))
        .order_by()
    )
    return {r["matter__power_id"]: r["latest"] for r in rows}


def due_for_review(person: Person, **scope: Any) -> list[RiskPoint]:
    """The points the person's review list and 工作台 show: in the units whose team they sit in and the
    districts they administer (narrowed by `scope`, e.g. unit=…), not retired, whose review has lapsed or
    was required, or on whose power an incident the person may know of came after the last review — the
    same flag the register shows (flags_for)."""
    if not person.is_authenticated:
        return []
    teams = org.current_memberships_of(person).filter(role__in=TEAM_ROLES).values("unit_id")
    administered = org.administered_districts(person).values("pk")
    candidates = list(
        RiskPoint.objects.filter(Q(unit__in=teams) | Q(unit__district__in=administered))
        .filter(**scope)
        .exclude(status=Status.RETIRED)
        .select_related("unit", "power", "owner")
        .order_by("review_due", "pk")
    )
    flags = flags_for(candidates, person)
    return [p for p in candidates if flags[p.pk]]


def summary(point: RiskPoint) -> dict[str, Any]:
    return {"power": point.power.code, "grade": point.grade, "type": point.type}
