"""The commission's handling of reports (R-SUP-3): reading a report (each read a ledger entry), writing to the
reporter, opening the reporter's identity (named handlers only, with a reason, each time in the ledger),
opening a case from reports and closing it with an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid

from .. import events, rules, sealing, states
from ..errors import AlreadyInCase, BadReport, CaseClosed
from ..models import Case, Report, ReportMessage
from ..states import Author, CaseStatus, Outcome, ReportStatus
from .intake import BODY_MAX, payload_of


@transaction.atomic
def read_report(*, by: Person, report: Report) -> dict[str, Any]:
    """The report's subject, body and conversation, opened; one ledger entry per reading."""
    rules.ensure_can_handle(by, report)
    ledger.record(
        events.REPORT_READ.code,
        by=by,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(report),
    )
    content = sealing.unseal(report.sealed_content)
    return {
        "subject": content["subject"],
        "body": content["body"],
        "messages": [
            {"from": m.author, "body": str(sealing.unseal(m.sealed_body)), "at": m.at, "handler": m.handler}
            for m in report.messages.select_related("handler").order_by("at", "pk")
        ],
    }


@transaction.atomic
def write_as_handler(*, by: Person, report: Report, body: str) -> ReportMessage:
    """A reply or a question to the reporter, read by them with their receipt."""
    rules.ensure_can_handle(by, report)
    body = body.strip()
    if not body or len(body) > BODY_MAX:
        raise BadReport("请填写内容（至多两万字）", detail={"fields": {"body": ["请填写内容"]}})
    message = ReportMessage.objects.create(
        report=report, author=Author.HANDLER, handler=by, sealed_body=sealing.seal(body), at=clock.now()
    )
    ledger.record(
        events.HANDLER_WROTE.code,
        by=by,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(report, report_message=message.pk),
    )
    return message


@transaction.atomic
def reveal_identity(*, by: Person, report: Report, reason: str) -> dict[str, str]:
    """The reporter's name and contact, for a named handler of the report's case, with a reason. The ledger
    entry says who opened which report's identity and why (the reason is the handler's words, in the entry
    for the commission to review — never the identity itself)."""
    report = Report.objects.select_related("case", "district", "unit").get(pk=report.pk)
    rules.ensure_can_reveal(by, report)
    reason = reason.strip()
    if len(reason) < 4:
        raise Invalid("R-SUP-3", "查看举报人身份须写明理由", {"fields": {"reason": ["请写明理由"]}})
    ledger.record(
        events.IDENTITY_REVEALED.code,
        by=by,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(report, reason=reason),
    )
    if report.sealed_identity is None:
        return {"name": "", "contact": ""}
    identity = sealing.unseal(report.sealed_identity)
    return {"name": str(identity.get("name", "")), "contact": str(identity.get("contact", ""))}


@transaction.atomic
def open_case(
    *, by: Person | None, reports: list[Report], handlers: list[Person], deadline: dt.date | None = None
) -> Case:
    """A case from one or more received reports of one district; its handlers are the district commission's
    (the opener is one unless named otherwise)."""
    if not reports:
        raise BadReport("请选择要立案的举报", detail={"fields": {"reports": ["请选择举报"]}})
    locked = list(
        Report.objects.select_for_update(of=("self",))
        .filter(pk__in=[r.pk for r in reports])
        .select_related("district", "unit")
    )
    district = locked[0].district
    for report in locked:
        rules.ensure_can_handle(by, report)
        if report.district_id != district.pk:
            raise BadReport("同一案件的举报须属同一区", detail={"fields": {"reports": ["举报不属同一区"]}})
        if not states.can_join_case(report.status):
            raise AlreadyInCase(detail={"report": report.pk})
    units = {r.unit_id for r in locked if r.unit_id}
    case = Case.objects.create(
        district=district,
        unit=locked[0].unit if len(units) == 1 and locked[0].unit_id else None,
        deadline=deadline,
        opened_by=by,
        opened_at=clock.now(),
    )
    named = handlers or ([by] if by is not None else [])
    for person in named:
        if not rules.can_handle_case(person, case) or any(rules.is_concerned(person, r) for r in locked):
            raise BadReport(
                "承办人须为本区纪委、且与举报无涉", detail={"fields": {"handlers": [person.username]}}
            )
    case.handlers.set(named)
    Report.objects.filter(pk__in=[r.pk for r in locked]).update(case=case, status=ReportStatus.IN_CASE)
    ledger.record(
        events.CASE_OPENED.code,
        by=by,
        district=district.code,
        subject=case.subject,
        payload={
            "report_case": case.pk,
            "reports": sorted(r.pk for r in locked),
            "handlers": sorted(p.username for p in named),
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


# Outcomes the person concerned is told of in any case (a verified report leads to discipline, a rectification
# is ordered to them) reach their integrity archive 廉政档案 (R-GATE-3), which they read. A dismissed report
# or a lead transferred elsewhere does not: the person must not learn from their archive that anyone
# reported them. The entry names the outcome only — never the report, its content or the reporter.
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
