"""The team acknowledges a report; the unit inspector remarks on it (R-SUP-1). Both recorded in the ledger."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person

from .. import rules
from ..errors import EmptyRemark
from ..events import REMARK_ADDED, REPORT_ACKNOWLEDGED
from ..models import Acknowledgement, MonthlyReport, Remark

MAX_REMARK = 4000


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)


def acknowledge(*, report: MonthlyReport, by: Person) -> tuple[Acknowledgement, bool]:
    """确认已阅 by a member of the unit's team (403 R-SUP-1 for anyone else); a second time changes nothing.
    Returns (acknowledgement, recorded now?). No lock on the report: the unique (report, person) constraint
    decides between two concurrent acknowledgements by one person, and the loser's entry rolls back with
    its savepoint."""
    rules.ensure_can_acknowledge(by, report.unit)
    existing = Acknowledgement.objects.filter(report=report, person=by).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = ledger.record(
                REPORT_ACKNOWLEDGED.code,
                by=by,
                unit=report.unit.code,
                subject=report.subject,
                payload={"unit": report.unit.code, "month": report.month_code, "person": by.username},
            )
            ack = Acknowledgement.objects.create(
                report=report, person=by, ledger_index=entry.index, ledger_pending=entry.pending
            )
    except IntegrityError:
        return Acknowledgement.objects.get(report=report, person=by), False
    return ack, True


@transaction.atomic
def add_remark(*, report: MonthlyReport, by: Person, body: str) -> Remark:
    """The unit inspector's remark (403 R-SUP-1 for anyone else; 422 without text)."""
    report = _locked(report)
    rules.ensure_can_remark(by, report.unit)
    body = (body or "").strip()
    if not body or len(body) > MAX_REMARK:
        raise EmptyRemark(detail={"body": f"1–{MAX_REMARK} 字"})
    entry = ledger.record(
        REMARK_ADDED.code,
        by=by,
        unit=report.unit.code,
        subject=report.subject,
        payload={"unit": report.unit.code, "month": report.month_code, "body": body},
    )
    return Remark.objects.create(
        report=report, author=by, body=body, ledger_index=entry.index, ledger_pending=entry.pending
    )
