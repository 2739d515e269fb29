"""Refusals of the reporting channel (R-SUP-3), each naming its rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, DomainError, Forbidden, Invalid, Refusal


class BadReport(Refusal, Invalid, rule="R-SUP-3", message="举报内容填写有误，未提交"):
    """R-SUP-3: a report needs a subject and a body, a unit, person or district it concerns, and a name
    when it is not anonymous; detail.fields names each error."""


class BadAttachment(Refusal, Invalid, rule="R-SUP-3", message="附件不符合要求，未提交"):
    """R-SUP-3: an attachment of an allowed kind, within the limits, that parses — so that what could
    identify the reporter is removed before any handler sees it (scrubbing.py); detail.fields.files says
    why. The reporter's file name is never echoed into a refusal (it may name them)."""


class NotAHandler(Refusal, Forbidden, rule="R-SUP-3", message="只有本案指定的承办人可以查看举报人身份"):
    """R-SUP-3: a reporter's identity is readable by the case's named handlers only, each time with a
    reason."""


class NotForTheCommission(Refusal, Forbidden, rule="R-SUP-3", message="只有本区纪委的承办人可以办理举报"):
    """R-SUP-3: reports are handled by the district commission's case handlers."""


class CaseClosed(Refusal, Conflict, rule="R-SUP-3", message="案件已办结，不能再更改"):
    """R-SUP-3: a case takes one outcome, once."""


class AlreadyInCase(Refusal, Conflict, rule="R-SUP-3", message="举报已并入案件，不能再立案"):
    """R-SUP-3: a report joins one case."""


class TooManyAttempts(DomainError):
    """Too many submissions or failed receipt look-ups from one address: 429 with Retry-After. The address
    counts only in the cache, for the window; it is never stored with a report."""

    status = 429
    default_rule = "R-SUP-3"

    def __init__(self, retry_after: int) -> None:
        super().__init__("R-SUP-3", f"尝试过于频繁，请 {retry_after} 秒后再试", {"retry_after": retry_after})
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}
