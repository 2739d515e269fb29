"""An inspection group's unannounced check on a unit (R-SUP-2), the reads it made, and its findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock
from zhiheng.core.models import TimeStamped
from zhiheng.org.models import Unit

from .states import FindingState, Severity


class Inspection(TimeStamped):
    """A check 突击检查 by one of the district's inspection groups 督察组 on one unit.

    It is a read grant: from `opened_at` until `expires_at` (or `closed_at`, whichever comes first) the
    members of `group` read the unit's matters, meetings, minutes, evidence and monthly reports — nothing
    else, and nothing after. `seed`, `population` and `sample` make the proposed sample reproducible by
    anyone (sampling.py): the seed is drawn when the check opens and recorded in the ledger with it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("单位")
    )
    group = models.PositiveSmallIntegerField(_("督察组"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), default=clock.now)
    expires_at = models.DateTimeField(_("授权截止"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion = models.TextField(_("检查结论"), blank=True)
    seed = models.CharField(_("抽样种子"), max_length=64)
    population = models.JSONField(_("抽样总体"), default=list)  # [[kind, id, weight], ...]
    sample = models.JSONField(_("抽样结果"), default=list)  # [{"kind", "id", "reasons"}, ...]
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("督察检查")
        verbose_name_plural = _("督察检查")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["unit", "expires_at"]), models.Index(fields=["group", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("opened_at")), name="inspections_expires_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} #{self.pk}"

    @property
    def subject(self) -> str:
        return f"inspection:{self.pk}"

    def is_open(self, at: object = None) -> bool:
        """The grant holds: not closed and not expired at `at` (now)."""
        moment = at or clock.now()
        return self.closed_at is None and moment < self.expires_at  # type: ignore[operator]


class Read(models.Model):
    """One read made under a check: who read what, when, and the ledger entry that records it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="reads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("类别"), max_length=24
    )  # matter | meeting | minutes | evidence | monthly_report
    ref = models.CharField(_("对象"), max_length=64)
    at = models.DateTimeField(_("时间"), default=clock.now)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["inspection", "at"])]

    def __str__(self) -> str:
        return self.what

    @property
    def what(self) -> str:
        return f"{self.kind}:{self.ref}"


class Finding(TimeStamped):
    """A problem the check found, which becomes a rectification item 整改事项: the unit's `owner` answers by
    the `deadline`, the group accepts the rectification or returns it. Nothing is deleted."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题说明"), blank=True)
    rule = models.CharField(_("违反规则"), max_length=16, blank=True)  # a SPEC rule id, e.g. R-MAT-3
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    evidence = models.JSONField(_("证据"), default=list)  # [{"kind", "id"}] records of the unit
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改责任人")
    )
    concerns = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及人员"),
    )
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=FindingState.choices, default=FindingState.OPEN
    )
    response = models.TextField(_("整改情况"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("检查发现")
        verbose_name_plural = _("检查发现")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"finding:{self.pk}"

    @property
    def unit(self) -> Unit:
        return self.inspection.unit
