"""The reporter's way back (R-SUP-3): receipt + passphrase open their own report's status and conversation,
and let them answer or add material — nothing else. A wrong pair is a 404 like a missing one, after the same
scrypt work; failed look-ups are rate-limited per address (throttle.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.core import clock
from zhiheng.core.errors import NotFound

from .. import events, receipts, sealing, throttle
from ..errors import BadReport
from ..models import Report, ReportMessage
from ..states import Author
from . import attachments
from .attachments import Upload
from .intake import BODY_MAX, payload_of


def open_report(*, receipt: str, passphrase: str, address: str) -> Report:
    """The report the pair opens, or NotFound (and one failed look-up counted for the address)."""
    throttle.ensure_allowed("guess", address)
    report = Report.objects.filter(receipt_digest=receipts.digest(receipt)).first()
    if (
        not receipts.check_passphrase(passphrase, report.passphrase_hash if report else None)
        or report is None
    ):
        throttle.count("guess", address)
        raise NotFound("查询码或密码不正确")
    return report


def conversation(report: Report) -> dict[str, Any]:
    return {
        "status": report.status,
        "messages": [
            {"from": m.author, "body": str(sealing.unseal(m.sealed_body)), "at": m.at}
            for m in report.messages.order_by("at", "pk")
        ],
    }


@transaction.atomic
def write_as_reporter(
    *, report: Report, body: str, files: Sequence[Upload] = (), keep_originals: bool = False
) -> ReportMessage | None:
    """An answer or added material: a message, files (scrubbed first: a refused file refuses the whole, and
    nothing is kept), or both. The message, if any; None for files alone."""
    body = body.strip()
    if len(body) > BODY_MAX or not (body or files):
        raise BadReport("请填写内容（至多两万字）", detail={"fields": {"body": ["请填写内容"]}})
    if files:
        attachments.attach_as_reporter(report=report, files=files, consent=keep_originals)
    if not body:
        return None
    message = ReportMessage.objects.create(
        report=report, author=Author.REPORTER, sealed_body=sealing.seal(body), at=clock.now()
    )
    ledger.record(
        events.REPORTER_WROTE.code,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(report, report_message=message.pk),
    )
    return message
