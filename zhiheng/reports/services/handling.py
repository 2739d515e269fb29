"""The commission's handling of reports (R-SUP-3): reading a report (each read a ledger entry), writing to the
reporter, opening the reporter's identity (named handlers only, with a reason, each time in the ledger).
Cases are in `cases.py`."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid

from .. import events, rules, sealing
from ..errors import BadReport
from ..models import Report, ReportMessage
from ..states import Author
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
