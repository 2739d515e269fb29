"""任中监督: the monthly financial detail report 每月财务明细汇报 (SPEC R-SUP-1).

A report is issued once per unit and month and then never changes: its content is frozen as JSON on the row
(`frozen`), hashed (`digest`, sha256 of the ledger's canonical bytes) and announced in the ledger
("supervision.report_issued"), so a later edit of a matter never silently changes a report already read.
The unit's team acknowledges it (one row and one ledger entry each); the unit inspector may add remarks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock
from zhiheng.org.models import Unit

from . import months


class MonthlyReport(models.Model):
    """One unit's report for one calendar month (Asia/Shanghai): `month` is the month's first day. `team`
    holds the usernames of the leadership team in office when it was issued — the people who must
    acknowledge it by `due`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    month = models.DateField(_("月份"))
    issued_at = models.DateTimeField(_("生成时间"), default=clock.now)
    due = models.DateField(_("确认期限"))
    team = models.JSONField(_("应确认人员"), default=list)
    frozen = models.JSONField(_("报告内容（冻结）"))
    digest = models.CharField(_("摘要"), max_length=64)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    # Batched ledger sequencing (ledger decision 0017): the pending entry's id until the integrator fills in
    # ledger_index (sequencing.anchor_resolver, registered in apps.py); NULL inline.
    ledger_pending = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("月度财务明细")
        verbose_name_plural = _("月度财务明细")
        ordering = ["-month", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="supervision_one_report_per_unit_month"),
        ]
        indexes = [models.Index(fields=["month", "unit"], name="supervision_month_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month_code}"

    @property
    def month_code(self) -> str:
        return months.code(self.month)

    @property
    def subject(self) -> str:
        return f"monthly-report:{self.unit.code}:{self.month_code}"

    @property
    def total(self) -> str:
        return str(self.frozen.get("total", "0.00"))

    def is_overdue(self, acknowledged: set[str] | Any, today: dt.date | None = None) -> bool:
        """Past its due date with someone of its team still not acknowledged."""
        return (today or clock.today()) > self.due and not set(self.team) <= set(acknowledged)


class Acknowledgement(models.Model):
    """A team member's 确认已阅 of a report (R-SUP-1), once per person."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("确认时间"), default=clock.now)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    ledger_pending = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("确认记录")
        verbose_name_plural = _("确认记录")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="supervision_one_ack_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.person}"


class Remark(models.Model):
    """The unit inspector's remark 意见 on a report; remarks are added, never edited."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="remarks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("意见"))
    at = models.DateTimeField(_("时间"), default=clock.now)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    ledger_pending = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("纪检意见")
        verbose_name_plural = _("纪检意见")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.author}"
