"""The states of a report and of a case (R-SUP-3), and the four outcomes of a case. Pure: no queries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("网上举报")
    PHONE = "phone", _("电话举报")
    EMAIL = "email", _("电子邮件举报")
    INTERVIEW = "interview", _("网上访谈")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    IN_CASE = "in_case", _("已立案办理")
    CLOSED = "closed", _("已办结")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    LEAD_TRANSFERRED = "lead_transferred", _("线索移送")
    VERIFIED = "verified", _("查证属实")
    DISMISSED = "dismissed", _("予以了结")
    RECTIFICATION = "rectification", _("责令整改")


class Author(models.TextChoices):
    REPORTER = "reporter", _("举报人")
    HANDLER = "handler", _("承办人")


def can_close(status: str) -> bool:
    """A case takes one outcome, once: an open case closes; a closed one stays as it was closed."""
    return status == CaseStatus.OPEN


def can_join_case(status: str) -> bool:
    """A report joins one case: only a received report (not yet in a case) is triaged."""
    return status == ReportStatus.RECEIVED
