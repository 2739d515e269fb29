"""REST endpoints of the reporting channel (R-SUP-3); config/api.py mounts `router`. API.md fixes the three
public endpoints (no auth: the reporter has no account) and `GET /reports`; the handlers' others are ours.

A report is seen by its district commission's handlers only, never by anyone it concerns (rules.py): for
anyone else every report answers 404, as a report that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.selectors import get_person
from zhiheng.accounts.signin import request_address
from zhiheng.api.pagination import Page, Rendered
from zhiheng.core import clock

from . import rules, selectors, services, throttle
from .models import Report, ReportAttachment
from .services.attachments import attachments_of
from .web.attachments import file_response

router = Router(tags=["reports"])


class ReportIn(Schema):
    subject: str = Field(..., description="举报标题")
    body: str = Field(..., description="举报内容")
    unit: str | None = Field(None, description="被举报单位代码")
    person: str | None = Field(None, description="被举报人的用户名")
    district: str | None = Field(None, description="受理的区代码（未填单位和人员时必填）")
    anonymous: bool = Field(True, description="匿名举报")
    name: str | None = Field(None, description="实名举报人姓名（加密保存，仅承办人可查看）")
    contact: str | None = Field(None, description="联系方式（加密保存，仅承办人可查看）")
    passphrase: str | None = Field(None, description="自设密码（至少 10 个字符）；不填则由系统生成")


class ReportReceiptOut(Schema):
    receipt: str = Field(..., description="查询码：五组四位，请抄写保存（100 位熵）")
    passphrase: str = Field(..., description="密码：与查询码一起用于查询答复，只显示这一次")


@router.post(
    "/public/reports",
    auth=None,
    response={201: ReportReceiptOut},
    summary="网上举报（无需登录，可匿名；R-SUP-3）",
)
def submit(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    address = request_address(request)
    throttle.ensure_allowed("submit", address)
    throttle.count("submit", address)  # every attempt counts: refused input too (no probing of names)
    given = services.receive(
        by=None,
        channel="web",
        subject=payload.subject,
        body=payload.body,
        unit=payload.unit,
        person=payload.person,
        district=payload.district,
        anonymous=payload.anonymous,
        name=payload.name or "",
        contact=payload.contact or "",
        passphrase=payload.passphrase or "",
    )
    return Status(201, {"receipt": given.receipt, "passphrase": given.passphrase})


class ReportReceiptIn(Schema):
    receipt: str = Field(..., max_length=64)
    passphrase: str = Field(..., max_length=200)


class ReportMessageOut(Schema):
    from_: Literal["reporter", "handler"] = Field(..., alias="from")
    body: str
    at: dt.datetime


class ReportFollowUpOut(Schema):
    status: Literal["received", "in_case", "closed"]
    messages: list[ReportMessageOut]


@router.post(
    "/public/reports/follow-up",
    auth=None,
    response=ReportFollowUpOut,
    by_alias=True,
    summary="凭查询码和密码查看办理状态和答复（R-SUP-3）",
)
def follow_up(request: HttpRequest, payload: ReportReceiptIn) -> dict[str, Any]:
    report = services.open_report(
        receipt=payload.receipt, passphrase=payload.passphrase, address=request_address(request)
    )
    return local(services.conversation(report))


def local(talk: dict[str, Any]) -> dict[str, Any]:
    """Times with the +08:00 offset (API.md)."""
    for message in talk["messages"]:
        message["at"] = message["at"].astimezone(clock.SHANGHAI)
    return talk


class ReporterMessageIn(ReportReceiptIn):
    body: str = Field(..., description="答复、补充材料")


class ReportWrittenOut(Schema):
    at: dt.datetime


@router.post(
    "/public/reports/messages",
    auth=None,
    response={201: ReportWrittenOut},
    summary="举报人凭查询码和密码答复或补充（R-SUP-3）",
)
def reporter_message(request: HttpRequest, payload: ReporterMessageIn) -> Status[dict[str, Any]]:
    report = services.open_report(
        receipt=payload.receipt, passphrase=payload.passphrase, address=request_address(request)
    )
    message = services.write_as_reporter(report=report, body=payload.body)
    assert message is not None  # a body is required here, so a message was written
    return Status(201, {"at": message.at.astimezone(clock.SHANGHAI)})


class ReportRowOut(Schema):
    id: int
    channel: Literal["web", "phone", "email", "interview"]
    unit: str | None = Field(None, description="被举报单位代码")
    district: str
    received_at: dt.datetime
    status: Literal["received", "in_case", "closed"]
    case: int | None


def report_row(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "channel": report.channel,
        "unit": report.unit.code if report.unit else None,
        "district": report.district.code,
        "received_at": report.received_at.astimezone(clock.SHANGHAI),
        "status": report.status,
        "case": report.case_id,
    }


@router.get("/reports", response=list[ReportRowOut], summary="举报列表（本区纪委承办人；R-SUP-3）")
@paginate(Page)
def reports(request: AuthedRequest) -> Rendered[Report]:
    return Rendered(selectors.list_reports_for(request.auth), report_row)


class ReportRecordIn(ReportIn):
    channel: Literal["phone", "email", "interview"] = Field(..., description="受理渠道")


class ReportRecordedOut(ReportReceiptOut):
    id: int


@router.post("/reports", response={201: ReportRecordedOut}, summary="登记电话、电邮、网上访谈举报（R-SUP-3）")
def record(request: AuthedRequest, payload: ReportRecordIn) -> Status[dict[str, Any]]:
    given = services.receive(
        by=request.auth,
        channel=payload.channel,
        subject=payload.subject,
        body=payload.body,
        unit=payload.unit,
        person=payload.person,
        district=payload.district,
        anonymous=payload.anonymous,
        name=payload.name or "",
        contact=payload.contact or "",
        passphrase=payload.passphrase or "",
    )
    return Status(201, {"id": given.report.pk, "receipt": given.receipt, "passphrase": given.passphrase})


class HandlerReportMessageOut(ReportMessageOut):
    handler: str | None


class ReportAttachmentOut(Schema):
    id: int
    name: str = Field(..., description="中性名称（附件1.jpg）；举报人的原文件名不保留，或随原始文件加密保存")
    content_type: str = Field(..., description="清除元数据后文件的类型")
    size: int = Field(..., description="清除元数据后文件的大小（字节）")
    author: Literal["reporter", "handler"]
    original_kept: bool = Field(..., description="举报人同意保留原始文件（加密，仅本案承办人凭理由查看）")
    added_at: dt.datetime


def attachment_out(attachment: ReportAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "author": attachment.author,
        "original_kept": attachment.consent,
        "added_at": attachment.added_at.astimezone(clock.SHANGHAI),
    }


class ReportOpenedOut(ReportRowOut):
    subject: str
    body: str
    anonymous: bool
    person: str | None = Field(None, description="被举报人的用户名")
    messages: list[HandlerReportMessageOut]
    attachments: list[ReportAttachmentOut] = Field(default_factory=list, description="附件（已清除元数据）")
    actions: dict[str, bool]


@router.get(
    "/reports/{report_id}",
    response=ReportOpenedOut,
    by_alias=True,
    summary="查阅举报（每次查阅记入账本；R-SUP-3）",
)
def report(request: AuthedRequest, report_id: int) -> dict[str, Any]:
    found = selectors.get_report_for(request.auth, report_id)
    opened = services.read_report(by=request.auth, report=found)
    return {
        **report_row(found),
        "subject": opened["subject"],
        "body": opened["body"],
        "anonymous": found.anonymous,
        "person": found.person.username if found.person else None,
        "messages": [
            {
                **m,
                "at": m["at"].astimezone(clock.SHANGHAI),
                "handler": m["handler"].username if m["handler"] else None,
            }
            for m in opened["messages"]
        ],
        "attachments": [attachment_out(a) for a in attachments_of(found)],
        "actions": rules.actions_for(request.auth, found),
    }


class HandlerMessageIn(Schema):
    body: str


@router.post(
    "/reports/{report_id}/messages",
    response={201: ReportWrittenOut},
    summary="答复举报人或向其提问（R-SUP-3）",
)
def handler_message(
    request: AuthedRequest, report_id: int, payload: HandlerMessageIn
) -> Status[dict[str, Any]]:
    found = selectors.get_report_for(request.auth, report_id)
    message = services.write_as_handler(by=request.auth, report=found, body=payload.body)
    return Status(201, {"at": message.at.astimezone(clock.SHANGHAI)})


class RevealReasonIn(Schema):
    reason: str = Field(..., description="查看理由（记入账本）")


class ReporterIdentityOut(Schema):
    name: str
    contact: str


@router.post(
    "/reports/{report_id}/identity",
    response=ReporterIdentityOut,
    summary="查看举报人身份（仅案件承办人，须写明理由，记入账本；R-SUP-3）",
)
def identity(request: AuthedRequest, report_id: int, payload: RevealReasonIn) -> dict[str, Any]:
    found = selectors.get_report_for(request.auth, report_id)
    return services.reveal_identity(by=request.auth, report=found, reason=payload.reason)


class ReportCaseIn(Schema):
    reports: list[int] = Field(..., min_length=1, description="并入案件的举报")
    handlers: list[str] = Field(default_factory=list, description="承办人用户名；不填则为立案人")
    deadline: dt.date | None = None


class ReportCaseOut(Schema):
    id: int
    district: str
    unit: str | None
    status: Literal["open", "closed"]
    outcome: str
    deadline: dt.date | None
    reports: list[int]
    handlers: list[str]


def case_out(case: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "district": case.district.code,
        "unit": case.unit.code if case.unit else None,
        "status": case.status,
        "outcome": case.outcome,
        "deadline": case.deadline,
        "reports": sorted(case.reports.values_list("pk", flat=True)),
        "handlers": sorted(case.handlers.values_list("username", flat=True)),
    }


@router.post("/report-cases", response={201: ReportCaseOut}, summary="举报立案（可多件并案；R-SUP-3）")
def open_case(request: AuthedRequest, payload: ReportCaseIn) -> Status[dict[str, Any]]:
    found = [selectors.get_report_for(request.auth, pk) for pk in payload.reports]
    handlers = [get_person(name) for name in payload.handlers]
    case = services.open_case(by=request.auth, reports=found, handlers=handlers, deadline=payload.deadline)
    return Status(201, case_out(case))


class ReportCaseCloseIn(Schema):
    outcome: Literal["lead_transferred", "verified", "dismissed", "rectification"]
    reason: str


@router.post("/report-cases/{case_id}/close", response=ReportCaseOut, summary="案件办结（R-SUP-3）")
def close_case(request: AuthedRequest, case_id: int, payload: ReportCaseCloseIn) -> dict[str, Any]:
    case = selectors.get_case_for(request.auth, case_id)
    return case_out(
        services.close_case(by=request.auth, case=case, outcome=payload.outcome, reason=payload.reason)
    )


# Attachments (issue 17): scrubbed of what identifies the reporter before any handler sees them
# (scrubbing.py), sealed at rest; each download a ledger entry. Files as attachments with nosniff.


@router.get(
    "/reports/{report_id}/attachments/{attachment_id}",
    summary="下载举报附件（已清除元数据；每次下载记入账本；R-SUP-3）",
)
def attachment(request: AuthedRequest, report_id: int, attachment_id: int) -> HttpResponse:
    found = selectors.get_report_for(request.auth, report_id)
    return file_response(services.read_attachment(by=request.auth, report=found, attachment_id=attachment_id))


@router.post(
    "/reports/{report_id}/attachments/{attachment_id}/original",
    summary="下载附件原始文件（仅本案承办人，须写明理由，记入账本；R-SUP-3）",
)
def attachment_original(
    request: AuthedRequest, report_id: int, attachment_id: int, payload: RevealReasonIn
) -> HttpResponse:
    found = selectors.get_report_for(request.auth, report_id)
    return file_response(
        services.read_attachment(
            by=request.auth, report=found, attachment_id=attachment_id, original=True, reason=payload.reason
        )
    )


@router.post(
    "/reports/{report_id}/attachments",
    response={201: list[ReportAttachmentOut]},
    summary="为电话、电邮、网上访谈举报添加举报人提供的附件（multipart；R-SUP-3）",
)
def add_attachments(
    request: AuthedRequest,
    report_id: int,
    files: File[list[UploadedFile]],
    keep_original: Form[bool] = False,
) -> Status[list[dict[str, Any]]]:
    found = selectors.get_report_for(request.auth, report_id)
    made = services.attach_recorded(
        by=request.auth,
        report=found,
        files=[services.Upload.of(item) for item in files],
        consent=keep_original,
    )
    return Status(201, [attachment_out(a) for a in made])
