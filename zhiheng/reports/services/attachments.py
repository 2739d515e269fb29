"""Attachments of reports (R-SUP-3, issue 17): files the reporter sends with the report or a follow-up, or
that the staff recording a phone, e-mail or interview report were given.

Every file is scrubbed (`scrubbing.scrub`: rebuilt without author, EXIF, GPS…) before it is stored, and only
the clean file is what handlers read, under a neutral name (附件1.jpg). The reporter's own bytes and file name
are kept — sealed — only if the reporter agreed, and opened only by a named handler of the report's case,
with a reason. Each reading is a ledger entry naming ids only: never a file name, a type or a byte of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import Max, QuerySet

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, NotFound

from .. import events, rules, scrubbing, sealing
from ..errors import BadAttachment
from ..models import Report, ReportAttachment
from ..states import Author, Channel
from .intake import payload_of


@dataclass(frozen=True)
class Upload:
    """A file as the reporter sent it: its bytes and the name their device gave it (which may name them: it
    is kept, sealed, only with their consent)."""

    data: bytes
    name: str = ""

    @classmethod
    def of(cls, file: Any) -> Upload:
        """From an uploaded file (Django's or ninja's); reads one byte past the limit, so a larger file is
        refused as such without being read whole."""
        stream: IO[bytes] = file
        return cls(data=stream.read(scrubbing.MAX_BYTES + 1), name=str(getattr(file, "name", "") or "")[:255])


@dataclass(frozen=True)
class Prepared:
    upload: Upload
    clean: scrubbing.Scrubbed


@dataclass(frozen=True)
class Opened:
    """An attachment opened for a handler: the file name to give it, its type, its bytes."""

    attachment: ReportAttachment
    name: str
    content_type: str
    data: bytes
    original: bool


def prepare(files: Sequence[Upload], *, already: int = 0) -> list[Prepared]:
    """Every file scrubbed, or BadAttachment (nothing is stored before all of them pass). `already`: how
    many the report has."""
    if len(files) > scrubbing.MAX_FILES_AT_ONCE:
        raise scrubbing.refuse(f"一次至多上传 {scrubbing.MAX_FILES_AT_ONCE} 个附件（R-SUP-3）")
    if already + len(files) > scrubbing.MAX_FILES_PER_REPORT:
        raise scrubbing.refuse(f"每件举报至多 {scrubbing.MAX_FILES_PER_REPORT} 个附件（R-SUP-3）")
    prepared, problems = [], []
    for n, upload in enumerate(files, start=1):
        try:
            prepared.append(Prepared(upload, scrubbing.scrub(upload.data, upload.name)))
        except BadAttachment as refused:
            problems.append(f"第 {n} 个附件：{refused.message}")
    if problems:
        raise BadAttachment(
            problems[0] if len(problems) == 1 else "附件不符合要求，未提交",
            detail={"fields": {"files": problems}},
        )
    return prepared


def store(
    *, report: Report, prepared: Sequence[Prepared], consent: bool, author: str, by: Person | None
) -> list[ReportAttachment]:
    """Seal and keep the prepared files of `report` (locked by the caller, so numbers do not race)."""
    if not prepared:
        return []
    last = report.attachments.aggregate(last=Max("number"))["last"] or 0
    now = clock.now()
    made = []
    for n, item in enumerate(prepared, start=last + 1):
        original = sealing.seal_bytes(_framed(item.upload)) if consent else None
        made.append(
            ReportAttachment.objects.create(
                report=report,
                number=n,
                name=f"附件{n}{item.clean.extension}",
                content_type=item.clean.content_type,
                size=len(item.clean.data),
                sealed_clean=sealing.seal_bytes(item.clean.data),
                sealed_original=original,
                consent=consent,
                author=author,
                added_by=by,
                added_at=now,
            )
        )
    ledger.record(
        events.ATTACHED.code,
        by=by,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(report, report_attachments=[a.pk for a in made]),
    )
    return made


def attachments_of(report: Report) -> QuerySet[ReportAttachment]:
    """The report's attachments to list (name, type, size): nothing sealed is loaded, nothing opened, so
    listing is no reading and no ledger entry."""
    return report.attachments.defer("sealed_clean", "sealed_original").order_by("number")


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("district", "case").get(pk=report.pk)


@transaction.atomic
def attach_as_reporter(
    *, report: Report, files: Sequence[Upload], consent: bool = False
) -> list[ReportAttachment]:
    """Material the reporter adds with their receipt (follow-up)."""
    report = _locked(report)
    prepared = prepare(files, already=report.attachments.count())
    return store(report=report, prepared=prepared, consent=consent, author=Author.REPORTER, by=None)


@transaction.atomic
def attach_recorded(
    *, by: Person, report: Report, files: Sequence[Upload], consent: bool = False
) -> list[ReportAttachment]:
    """What a reporter sent by e-mail or handed over at an interview, attached by the commission's staff to
    the report they recorded (a web report's files come from the reporter alone). `consent`: the reporter
    agreed to the original being kept."""
    report = _locked(report)
    rules.ensure_can_handle(by, report)
    if report.channel == Channel.WEB:
        raise Conflict("R-SUP-3", "网上举报的附件只能由举报人本人提交", {"report": report.pk})
    prepared = prepare(files, already=report.attachments.count())
    return store(report=report, prepared=prepared, consent=consent, author=Author.REPORTER, by=by)


@transaction.atomic
def read_attachment(
    *, by: Person, report: Report, attachment_id: int, original: bool = False, reason: str = ""
) -> Opened:
    """The clean file, for anyone who handles the report; or — `original` — the reporter's own file and its
    name, for a named handler of the report's case with a reason, if the reporter agreed to keep it. Each
    reading is one ledger entry (ids; for an original, that a reason was given — not the reason, which may
    describe the file)."""
    report = Report.objects.select_related("case", "district").get(pk=report.pk)
    if original:
        rules.ensure_read_original(by, report, reason)
    else:
        rules.ensure_can_handle(by, report)
    attachment = report.attachments.filter(pk=attachment_id).first()
    if attachment is None or (original and attachment.sealed_original is None):
        raise NotFound("附件不存在，或举报人未同意保留原始文件")
    ledger.record(
        (events.ORIGINAL_READ if original else events.ATTACHMENT_READ).code,
        by=by,
        district=report.district.code,
        subject=report.subject,
        payload=payload_of(
            report, report_attachment=attachment.pk, **({"reason_given": True} if original else {})
        ),
    )
    if not original:
        return Opened(
            attachment,
            attachment.name,
            attachment.content_type,
            sealing.unseal_bytes(attachment.sealed_clean),
            False,
        )
    assert attachment.sealed_original is not None
    name, data = _unframed(sealing.unseal_bytes(attachment.sealed_original))
    return Opened(attachment, name or attachment.name, "application/octet-stream", data, True)


def _framed(upload: Upload) -> bytes:
    """The original's name and bytes in one sealed value (one token: a rotation re-seals it whole)."""
    name = upload.name.encode("utf-8", "replace")[:1000]
    return len(name).to_bytes(4, "big") + name + upload.data


def _unframed(blob: bytes) -> tuple[str, bytes]:
    size = int.from_bytes(blob[:4], "big")
    return blob[4 : 4 + size].decode("utf-8", "replace"), blob[4 + size :]
