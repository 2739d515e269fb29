"""Cases 案件 (R-SUP-3): the commission triages reports into cases — several reports may join one — names
their handlers, keeps a deadline, and closes each case once with an outcome (线索移送, 查证属实, 予以了结,
责令整改) and sealed reasons. Every step is dated and in the ledger, with ids, usernames of handlers and
dates only.

How a handler would game it, and what stops them: a deadline moved later to stay off the overdue list is
a ledger entry with the old and new dates and a reason; a report joined to a case whose handler it
concerns would hide it from that handler — refused; a person concerned by any report of the case is never
named handler."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhiheng import ledger, parameters
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import District

from .. import events, rules, sealing, states
from ..errors import AlreadyInCase, BadReport, CaseClosed
from ..models import Case, Report
from ..parameters import NAMESPACE
from ..states import CaseStatus, Outcome, ReportStatus


def _locked_reports(by: Person | None, reports: list[Report]) -> list[Report]:
    """The reports, locked, each handled by `by` and not yet in a case."""
    if not reports:
        raise BadReport("请选择要立案的举报", detail={"fields": {"reports": ["请选择举报"]}})
    locked = list(
        Report.objects.select_for_update(of=("self",))
        .filter(pk__in=[r.pk for r in reports])
        .select_related("district", "unit", "person")
        .order_by("pk")
    )
    for report in locked:
        rules.ensure_can_handle(by, report)
        if report.district_id != locked[0].district_id:
            raise BadReport("同一案件的举报须属同一区", detail={"fields": {"reports": ["举报不属同一区"]}})
        if not states.can_join_case(report.status):
            raise AlreadyInCase(detail={"report": report.pk})
    return locked


def _ensure_handlers(case: Case, handlers: list[Person], reports: list[Report]) -> None:
    """Each handler handles the case's district and is concerned by none of its reports (R-SUP-3)."""
    if not handlers:
        raise BadReport("请至少指定一名承办人", detail={"fields": {"handlers": ["请指定承办人"]}})
    for person in handlers:
        if not rules.can_handle_case(person, case) or any(rules.is_concerned(person, r) for r in reports):
            raise BadReport(
                "承办人须为本区纪委、且与举报无涉", detail={"fields": {"handlers": [person.username]}}
            )


def _lock_open(by: Person | None, case: Case) -> Case:
    case = Case.objects.select_for_update(of=("self",)).select_related("district").get(pk=case.pk)
    rules.ensure_can_handle_case(by, case)
    if not states.can_close(case.status):
        raise CaseClosed(detail={"case": case.pk})
    return case


def default_deadline(district: District, opened: dt.date) -> dt.date:
    """`opened` plus the district's `case_days`."""
    days = int(parameters.effective(NAMESPACE, district=district).values["case_days"])
    return opened + dt.timedelta(days=days)


@transaction.atomic
def open_case(
    *, by: Person | None, reports: list[Report], handlers: list[Person], deadline: dt.date | None = None
) -> Case:
    """A case from one or more received reports of one district; its handlers are the district commission's
    (the opener is one unless named otherwise); the deadline is the district's `case_days` from today
    unless set."""
    locked = _locked_reports(by, reports)
    district = locked[0].district
    units = {r.unit_id for r in locked if r.unit_id}
    now = clock.now()
    if deadline is not None and deadline < clock.today():
        raise BadReport("办理期限不能早于今天", detail={"fields": {"deadline": ["办理期限不能早于今天"]}})
    deadline = deadline or default_deadline(district, clock.today())
    case = Case.objects.create(
        district=district,
        unit=locked[0].unit if len(units) == 1 and locked[0].unit_id else None,
        deadline=deadline,
        opened_by=by,
        opened_at=now,
    )
    named = handlers or ([by] if by is not None else [])
    if named:
        _ensure_handlers(case, named, locked)
    case.handlers.set(named)
    Report.objects.filter(pk__in=[r.pk for r in locked]).update(case=case, status=ReportStatus.IN_CASE)
    ledger.record(
        events.CASE_OPENED.code,
        by=by,
        district=district.code,
        subject=case.subject,
        payload={
            "report_case": case.pk,
            "reports": [r.pk for r in locked],
            "handlers": sorted(p.username for p in named),
            "case_deadline": deadline.isoformat(),
        },
    )
    return case


@transaction.atomic
def join_case(*, by: Person | None, case: Case, reports: list[Report]) -> Case:
    """Received reports join an open case of their district (several reports, one matter)."""
    case = _lock_open(by, case)
    locked = _locked_reports(by, reports)
    if locked[0].district_id != case.district_id:
        raise BadReport("同一案件的举报须属同一区", detail={"fields": {"reports": ["举报不属同一区"]}})
    handlers = list(case.handlers.all())
    if handlers:
        _ensure_handlers(case, handlers, locked)
    Report.objects.filter(pk__in=[r.pk for r in locked]).update(case=case, status=ReportStatus.IN_CASE)
    units = set(case.reports.exclude(unit=None).values_list("unit_id", flat=True))
    if len(units) != 1 and case.unit_id is not None:
        case.unit = None
        case.save(update_fields=["unit", "updated_at"])
    ledger.record(
        events.CASE_JOINED.code,
        by=by,
        district=case.district.code,
        subject=case.subject,
        payload={"report_case": case.pk, "reports": [r.pk for r in locked]},
    )
    return case


@transaction.atomic
def assign_handlers(*, by: Person | None, case: Case, handlers: list[Person]) -> Case:
    """Name the case's handlers (replacing the list): only they open the reporters' identities."""
    case = _lock_open(by, case)
    _ensure_handlers(case, handlers, list(case.reports.select_related("unit", "person")))
    case.handlers.set(handlers)
    ledger.record(
        events.CASE_HANDLERS_SET.code,
        by=by,
        district=case.district.code,
        subject=case.subject,
        payload={"report_case": case.pk, "handlers": sorted(p.username for p in handlers)},
    )
    return case


@transaction.atomic
def set_deadline(*, by: Person | None, case: Case, deadline: dt.date, reason: str) -> Case:
    """Move an open case's deadline, with a reason; the ledger keeps the old and the new date, so a case
    kept off the overdue list by postponing shows as such."""
    case = _lock_open(by, case)
    reason = reason.strip()
    if not reason:
        raise BadReport("变更办理期限须写明理由", detail={"fields": {"reason": ["请写明理由"]}})
    if deadline < clock.today():
        raise BadReport("办理期限不能早于今天", detail={"fields": {"deadline": ["办理期限不能早于今天"]}})
    before = case.deadline
    case.deadline = deadline
    case.save(update_fields=["deadline", "updated_at"])
    ledger.record(
        events.CASE_DEADLINE_SET.code,
        by=by,
        district=case.district.code,
        subject=case.subject,
        payload={
            "report_case": case.pk,
            "case_deadline_before": before.isoformat() if before else None,
            "case_deadline": deadline.isoformat(),
            "reason": reason,
        },
    )
    return case


@transaction.atomic
def close_case(*, by: Person | None, case: Case, outcome: str, reason: str) -> Case:
    """The case's outcome (线索移送, 查证属实, 予以了结, 责令整改), once, with sealed reasons."""
    case = Case.objects.select_for_update(of=("self",)).select_related("district").get(pk=case.pk)
    rules.ensure_can_handle_case(by, case)
    if outcome not in Outcome.values:
        raise BadReport("办理结果无效", detail={"fields": {"outcome": ["办理结果无效"]}})
    if not reason.strip():
        raise BadReport("请写明办理理由", detail={"fields": {"reason": ["请写明理由"]}})
    if not states.can_close(case.status):
        raise CaseClosed(detail={"case": case.pk})
    case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, outcome, clock.now()
    case.sealed_reason = sealing.seal(reason.strip())
    case.save(update_fields=["status", "outcome", "closed_at", "sealed_reason", "updated_at"])
    case.reports.update(status=ReportStatus.CLOSED)
    _to_the_archive(by=by, case=case, outcome=outcome)
    ledger.record(
        events.CASE_CLOSED.code,
        by=by,
        district=case.district.code,
        subject=case.subject,
        payload={"report_case": case.pk, "case_outcome": outcome},
    )
    return case


def reason_of(case: Case) -> str:
    return "" if case.sealed_reason is None else str(sealing.unseal(case.sealed_reason))


# Outcomes that count against the person (a verified report, a rectification ordered) reach their integrity
# archive 廉政档案 (R-GATE-3) for the commission that issues opinions from it; a dismissed report or a lead
# transferred elsewhere does not. The entry names the outcome only — never the report, its content or the
# reporter — and it is seen only by who sees the case (the guard registered in apps.py): the person, who
# reads their own archive, and anyone else concerned never learn from it that someone reported them.
ARCHIVED = {
    Outcome.VERIFIED: ("substantiated", "信访举报核查属实"),
    Outcome.RECTIFICATION: ("substantiated", "信访举报核查后责令整改"),
}


def _to_the_archive(*, by: Person | None, case: Case, outcome: str) -> None:
    from zhiheng.checkup import services as checkup

    if outcome not in ARCHIVED:
        return
    subcategory, title = ARCHIVED[Outcome(outcome)]
    named = {r.person for r in case.reports.select_related("person") if r.person is not None}
    for person in sorted(named, key=lambda p: p.pk):
        checkup.add_archive_entry(
            by=by,
            person=person,
            category="reports",
            subcategory=subcategory,
            occurred_on=clock.today(),
            title=title,
            body=str(Outcome(outcome).label),
            source=f"report-case:{case.pk}",
        )
