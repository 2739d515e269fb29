"""The check-up's statuses (no queries): where a candidate's exam stands (R-GATE-1) and the commission's
opinion (R-GATE-4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamStatus(models.TextChoices):
    NONE = "none", _("未参加")
    PASSED = "passed", _("已通过")
    FAILED = "failed", _("未通过（可补考一次）")
    DISQUALIFIED = "disqualified", _("补考未通过，取消任职资格")


class OpinionStatus(models.TextChoices):
    NONE = "none", _("未出具")
    PENDING = "pending", _("待核实")
    NO_OBJECTION = "no_objection", _("无异议")
    OBJECTION = "objection", _("有异议")


class OnlineStatus(models.TextChoices):
    """Where an online sitting stands (R-GATE-1): answering until submitted or out of time, then marked."""

    IN_PROGRESS = "in_progress", _("作答中")
    AWAITING_MARKING = "awaiting_marking", _("已交卷，待评阅")
    MARKED = "marked", _("已评阅")


def online_status(*, closed: bool, marked: bool) -> str:
    if marked:
        return OnlineStatus.MARKED
    return OnlineStatus.AWAITING_MARKING if closed else OnlineStatus.IN_PROGRESS


class Sitting(Protocol):
    attempt: int

    @property
    def passed(self) -> bool: ...


def exam_status(sittings: Sequence[Sitting]) -> str:
    """R-GATE-1 over a candidate's sittings (any order): passed once any sitting passed; a failed first
    sitting leaves one make-up; a failed make-up cancels the candidacy (取消任职资格)."""
    if any(s.passed for s in sittings):
        return ExamStatus.PASSED
    if any(s.attempt == 2 for s in sittings):
        return ExamStatus.DISQUALIFIED
    if sittings:
        return ExamStatus.FAILED
    return ExamStatus.NONE


def next_attempt(sittings: Sequence[Sitting]) -> int | None:
    """The attempt a new sitting would be (1, or 2 for the make-up), or None when no sitting is left: the
    candidate passed, or already failed the make-up."""
    status = exam_status(sittings)
    if status == ExamStatus.NONE:
        return 1
    if status == ExamStatus.FAILED:
        return 2
    return None
