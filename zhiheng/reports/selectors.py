"""Reads of the reporting channel: the reports and cases a person handles (rules.visible_*), one of them or
404 alike for missing and invisible. Nothing here opens sealed data (services.reading does, and logs it)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound

from . import rules
from .models import Case, Report, ReportMessage


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
