"""Receiving a report (R-SUP-3): from the public form (no account, no cookie) or recorded by the commission's
staff from a phone call, an e-mail or an online interview. The reporter gets a receipt and a passphrase; the
ledger records that a report was received, by which channel, and nothing of what it says or who sent it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import get_person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org import rules as org_rules
from zhiheng.org.models import District, Unit

from .. import events, receipts, sealing
from ..errors import BadAttachment, BadReport
from ..models import Report
from ..states import Author, Channel
from . import attachments

if TYPE_CHECKING:
    from .attachments import Prepared, Upload

SUBJECT_MAX, BODY_MAX, NAME_MAX, CONTACT_MAX = 200, 20_000, 100, 200


@dataclass(frozen=True)
class Receipt:
    """What the reporter takes away, shown once: the grouped receipt code and the passphrase."""

    report: Report
    receipt: str
    passphrase: str


def _concerned(
    unit: str | None, person: str | None, district: str | None, errors: dict[str, list[str]]
) -> tuple[District | None, Unit | None, Person | None]:
    found_unit = (
        Unit.objects.select_related("district").filter(code=(unit or "").strip()).first() if unit else None
    )
    if unit and found_unit is None:
        errors["unit"] = ["没有这个单位"]
    found_person = None
    if person:
        try:
            found_person = get_person(person.strip())
        except NotFound:
            errors["person"] = ["没有这个人"]
    found_district = District.objects.filter(code=(district or "").strip()).first() if district else None
    if district and found_district is None:
        errors["district"] = ["没有这个区"]
    if found_unit is not None:
        found_district = found_unit.district
    elif found_district is None and found_person is not None:
        from zhiheng.org import selectors as org

        found_district = org.districts_ever_of(found_person).order_by("code").first()
    if found_district is None and not {"unit", "person", "district"} & set(errors):
        errors["unit"] = ["请选择被举报的单位、人员或受理的区"]
    return found_district, found_unit, found_person


@transaction.atomic
def receive(
    *,
    by: Person | None,
    channel: str,
    subject: str,
    body: str,
    unit: str | None = None,
    person: str | None = None,
    district: str | None = None,
    anonymous: bool = True,
    name: str = "",
    contact: str = "",
    passphrase: str = "",
    receipt_code: str | None = None,
    files: Sequence[Upload] = (),
    keep_originals: bool = False,
) -> Receipt:
    """Receive a report. `by` None is the public form (channel web); staff record the other channels and must
    be the district commission's. A passphrase left empty is given.

    `receipt_code` is for the demo builder only (steps/reports.py), so that a documented receipt opens a
    report a tester can follow up: the public form and the API never pass it, and a reporter always gets a
    code drawn by `secrets`. It must be a well-formed code (20 symbols of the receipts' alphabet).

    `files` are scrubbed before anything is stored (a refused file refuses the report, and nothing is kept);
    `keep_originals`: the reporter agreed that their own files be kept, sealed, for the case (attachments.py)."""
    if receipt_code is not None and not _well_formed(receipt_code):
        raise ValueError("receipt_code must be 20 symbols of Crockford's base32")
    subject, body, name, contact = (
        subject.strip(),
        body.strip(),
        (name or "").strip(),
        (contact or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = ["渠道无效"]
    if not subject:
        errors["subject"] = ["请填写举报标题"]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [f"标题至多 {SUBJECT_MAX} 个字"]
    if not body:
        errors["body"] = ["请填写举报内容"]
    elif len(body) > BODY_MAX:
        errors["body"] = [f"内容至多 {BODY_MAX} 个字"]
    if not anonymous and not name:
        errors["name"] = ["实名举报请填写姓名，或选择匿名举报"]
    if len(name) > NAME_MAX or len(contact) > CONTACT_MAX:
        errors["contact"] = ["姓名或联系方式过长"]
    if passphrase and len(passphrase.strip()) < receipts.PASSPHRASE_MIN:
        errors["passphrase"] = [f"自设密码至少 {receipts.PASSPHRASE_MIN} 个字符"]
    found_district, found_unit, found_person = _concerned(unit, person, district, errors)
    prepared = _prepared(files, errors)
    if set(errors) == {"files"}:
        raise BadAttachment(errors["files"][0], detail={"fields": errors})
    if errors:
        raise BadReport(detail={"fields": errors})
    assert found_district is not None
    if by is not None:
        org_rules.ensure_commission_admin(by, found_district, rule="R-SUP-3", action="登记举报")
    code = receipt_code or receipts.new_receipt()
    secret = passphrase.strip() or receipts.new_passphrase()
    report = Report.objects.create(
        district=found_district,
        channel=channel,
        unit=found_unit,
        person=found_person,
        sealed_content=sealing.seal({"subject": subject, "body": body}),
        sealed_identity=None if anonymous and not name else sealing.seal({"name": name, "contact": contact}),
        anonymous=anonymous,
        receipt_digest=receipts.digest(code),
        passphrase_hash=receipts.hash_passphrase(secret),
        received_at=clock.now(),
        recorded_by=by,
    )
    ledger.record(
        events.REPORT_RECEIVED.code,
        by=by,
        district=found_district.code,
        subject=report.subject,
        payload=payload_of(report),
    )
    attachments.store(report=report, prepared=prepared, consent=keep_originals, author=Author.REPORTER, by=by)
    return Receipt(report=report, receipt=code, passphrase=secret)


def _prepared(files: Sequence[Upload], errors: dict[str, list[str]]) -> list[Prepared]:
    """The files scrubbed; their refusals join the report's field errors."""
    try:
        return attachments.prepare(files)
    except BadAttachment as refused:
        errors["files"] = list(refused.detail.get("fields", {}).get("files", [refused.message]))
        return []


def _well_formed(code: str) -> bool:
    symbols = receipts.normal(code)
    return len(symbols) == receipts.GROUPS * receipts.GROUP and set(symbols) <= set(receipts.ALPHABET)


def payload_of(report: Report, **more: Any) -> dict[str, Any]:
    """What the ledger may say of a report: its id, channel and status — nothing that names anyone."""
    return {"report": report.pk, "report_channel": report.channel, "report_status": report.status, **more}
