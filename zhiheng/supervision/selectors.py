"""Reads of the monthly reports (R-SUP-1). ONE read path: every page and API answer fetches a report
through `get_report_for` / `list_reports_for` (404 alike for unknown and invisible: rules.can_view_reports).
What is shown and exported is the report's frozen content, never the matters as they are now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.inspections import services as inspection_reads
from zhiheng.org.models import District, Unit

from . import months, rules
from .errors import BadMonth
from .models import Acknowledgement, MonthlyReport


def parse_month(text: str) -> dt.date:
    """The month "YYYY-MM" names, or 422 validation."""
    month = months.parse(text)
    if month is None:
        raise BadMonth(detail={"month": text})
    return month


def get_unit_for_reports(person: Person, unit_code: str) -> Unit:
    """The unit whose reports the person may see (rules.can_view_reports); 404 otherwise."""
    unit = Unit.objects.select_related("district").filter(code=unit_code).first()
    if unit is None or not person.is_authenticated or not rules.can_view_reports(person, unit):
        raise NotFound()
    return unit


def _with_acks(qs: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    acks = Acknowledgement.objects.select_related("person").order_by("at", "pk")
    return qs.select_related("unit__district").prefetch_related(Prefetch("acknowledgements", queryset=acks))


def list_reports_for(person: Person, unit_code: str) -> QuerySet[MonthlyReport]:
    """The unit's reports, newest month first, for its team and its district's commission (else 404)."""
    unit = get_unit_for_reports(person, unit_code)
    return _with_acks(MonthlyReport.objects.filter(unit=unit)).order_by("-month")


def get_report_for(person: Person, unit_code: str, month: str | dt.date) -> MonthlyReport:
    """One report (month as "YYYY-MM" or a date); 404 when unknown or not visible, 422 for a bad month. A
    read under an inspection group's check is logged."""
    wanted = parse_month(month) if isinstance(month, str) else months.first_of(month)
    report = list_reports_for(person, unit_code).filter(month=wanted).first()
    if report is None:
        raise NotFound()
    if rules.reads_under_check(person, report.unit):  # an inspection group's read is logged (R-SUP-2)
        inspection_reads.note_read(
            person, report.unit_id, "monthly-report", f"{unit_code}:{report.month_code}"
        )
    return report


@dataclass
class Standing:
    """Who of a report's team acknowledged it, and whether it is overdue (computed, not stored)."""

    report: MonthlyReport
    acknowledged: list[Acknowledgement]
    missing: list[str]
    overdue: bool
    names: dict[str, str] = field(default_factory=dict)

    @property
    def acknowledged_by(self) -> list[str]:
        return [a.person.username for a in self.acknowledged]

    @property
    def done(self) -> int:
        return len(self.report.team) - len(self.missing)


def standing(report: MonthlyReport, today: dt.date | None = None) -> Standing:
    """From the prefetched acknowledgements (_with_acks): no query per report."""
    acks = list(report.acknowledgements.all())
    by = {a.person.username for a in acks}
    missing = [u for u in report.team if u not in by]
    return Standing(report, acks, missing, bool(missing) and (today or clock.today()) > report.due)


def team_names(reports: list[MonthlyReport]) -> dict[str, str]:
    """username → name for every team member of the reports (one query)."""
    usernames = {u for r in reports for u in r.team}
    return dict(Person.objects.filter(username__in=usernames).values_list("username", "name"))


def awaiting_acknowledgement(person: Person, unit: Unit) -> list[MonthlyReport]:
    """The unit's reports that name the person in their team and that they have not acknowledged yet
    (their 工作台's tile), oldest first."""
    if not rules.can_acknowledge(person, unit):
        return []
    pending = (
        MonthlyReport.objects.filter(unit=unit)
        .exclude(acknowledgements__person=person)
        .select_related("unit")
        .order_by("month")
    )
    return [r for r in pending if person.username in r.team]


@dataclass
class UnitMonth:
    """One unit's line on the commission's district month page."""

    unit: Unit
    report: MonthlyReport | None
    standing: Standing | None
    total: Decimal
    last_year: Decimal | None
    change_pct: str | None
    missing_names: str = ""


def district_month_for(
    person: Person, district_code: str, month: str
) -> tuple[District, dt.date, list[UnitMonth]]:
    """The commission admin's view of a district's month: every active unit with its report (or none
    yet), who acknowledged, overdue, and the spending against the same month last year. 404 to anyone
    but the district's commission admins."""
    wanted = parse_month(month)
    district = District.objects.filter(code=district_code).first()
    if district is None or not rules.can_view_district(person, district):
        raise NotFound()
    units = list(Unit.objects.filter(district=district, is_active=True).order_by("code"))
    reports = {r.unit_id: r for r in _with_acks(MonthlyReport.objects.filter(unit__in=units, month=wanted))}
    today = clock.today()
    names = team_names(list(reports.values()))
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        frozen: dict[str, Any] = report.frozen if report is not None else {}
        comparison = frozen.get("comparison", {})
        last = comparison.get("last_year_total")
        state = standing(report, today) if report is not None else None
        rows.append(
            UnitMonth(
                unit=unit,
                report=report,
                standing=state,
                total=Decimal(frozen.get("total", "0")),
                last_year=Decimal(last) if last is not None else None,
                change_pct=comparison.get("change_pct"),
                missing_names="、".join(names.get(u, u) for u in (state.missing if state else [])),
            )
        )
    return district, wanted, rows


def unacknowledged_in(district: District, today: dt.date | None = None) -> tuple[int, int]:
    """(reports not fully acknowledged, of which overdue) in the district — the commission's tile."""
    today = today or clock.today()
    open_count = overdue = 0
    recent = MonthlyReport.objects.filter(
        unit__district=district, month__gte=months.shift(months.first_of(today), -12)
    )
    for report in _with_acks(recent):
        state = standing(report, today)
        if state.missing:
            open_count += 1
            overdue += state.overdue
    return open_count, overdue
