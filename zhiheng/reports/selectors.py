"""Reads of the reporting channel: the reports and cases a person handles (rules.visible_*), one of them or
404 alike for missing and invisible. Nothing here opens sealed data (services.reading does, and logs it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery

from zhiheng import parameters
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org.models import District

from . import rules
from .models import Case, Report, ReportMessage
from .parameters import NAMESPACE
from .states import Author, CaseStatus, Outcome, ReportStatus


def list_reports_for(person: Person) -> QuerySet[Report]:
    return rules.visible_reports(person).select_related("unit", "district").order_by("-received_at", "-pk")


def get_report_for(person: Person, report_id: int) -> Report:
    report = (
        rules.visible_reports(person)
        .select_related("unit", "district", "person", "case")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def list_cases_for(person: Person) -> QuerySet[Case]:
    return rules.visible_cases(person).select_related("unit", "district").order_by("-opened_at", "-pk")


def get_case_for(person: Person, case_id: int) -> Case:
    case = rules.visible_cases(person).select_related("unit", "district").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def messages_of(report: Report) -> QuerySet[ReportMessage]:
    return report.messages.order_by("at", "pk")


# ---------------------------------------------------------------- the commission's desk (工作台, lists)


def limits_in(district: District) -> dict[str, int]:
    """The district's time limits (parameters "reports": triage_days, case_days, due_soon_days)."""
    return {k: int(v) for k, v in parameters.effective(NAMESPACE, district=district).values.items()}


def last_author() -> Subquery:
    return Subquery(
        ReportMessage.objects.filter(report=OuterRef("pk")).order_by("-at", "-pk").values("author")[:1]
    )


def filter_reports(
    reports: QuerySet[Report], view: str, today: dt.date, limits: dict[str, int]
) -> QuerySet[Report]:
    """A named slice of the list: `untriaged` (received, in no case), `late` (untriaged beyond triage_days),
    `answered` (the reporter wrote last and the report is not closed), else all."""
    if view == "untriaged":
        return reports.filter(status=ReportStatus.RECEIVED)
    if view == "late":
        cutoff = clock.at(today - dt.timedelta(days=limits["triage_days"]), 0)
        return reports.filter(status=ReportStatus.RECEIVED, received_at__lt=cutoff)
    if view == "answered":
        return (
            reports.exclude(status=ReportStatus.CLOSED)
            .annotate(last=last_author())
            .filter(last=Author.REPORTER)
        )
    return reports


def filter_cases(cases: QuerySet[Case], view: str, today: dt.date, limits: dict[str, int]) -> QuerySet[Case]:
    """`open`, `overdue` (open past its deadline), `due_soon` (open, deadline within due_soon_days),
    `closed`, else all."""
    if view == "open":
        return cases.filter(status=CaseStatus.OPEN)
    if view == "overdue":
        return cases.filter(status=CaseStatus.OPEN, deadline__lt=today)
    if view == "due_soon":
        soon = today + dt.timedelta(days=limits["due_soon_days"])
        return cases.filter(status=CaseStatus.OPEN, deadline__gte=today, deadline__lte=soon)
    if view == "closed":
        return cases.filter(status=CaseStatus.CLOSED)
    return cases


@dataclass(frozen=True)
class Desk:
    """What needs the district commission's handlers, as counts only (no content, no person)."""

    untriaged: int
    late: int
    answered: int
    open_cases: int
    overdue: int
    due_soon: int
    by_outcome: list[tuple[str, int]]  # cases closed in the last 12 months, per outcome
    by_unit: list[tuple[str, str, int]]  # (code, name, cases opened in the last 12 months)


def desk(person: Person, district: District, today: dt.date) -> Desk:
    """Counts over what `person` may see in `district` (rules.visible_*: never a report that concerns them).
    A fixed number of queries."""
    limits = limits_in(district)
    reports = rules.visible_reports(person).filter(district=district)
    cases = rules.visible_cases(person).filter(district=district)
    year_ago = clock.at(today - dt.timedelta(days=365), 0)
    outcomes = dict(
        cases.filter(status=CaseStatus.CLOSED, closed_at__gte=year_ago)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_unit = [
        (code or "", name or "", n)
        for code, name, n in cases.filter(opened_at__gte=year_ago)
        .values_list("unit__code", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__code")
    ]
    return Desk(
        untriaged=filter_reports(reports, "untriaged", today, limits).count(),
        late=filter_reports(reports, "late", today, limits).count(),
        answered=filter_reports(reports, "answered", today, limits).count(),
        open_cases=filter_cases(cases, "open", today, limits).count(),
        overdue=filter_cases(cases, "overdue", today, limits).count(),
        due_soon=filter_cases(cases, "due_soon", today, limits).count(),
        by_outcome=[(str(code), outcomes.get(code, 0)) for code in Outcome.values],
        by_unit=by_unit,
    )
