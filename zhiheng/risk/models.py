"""Early warnings 风险预警 raised by the red-flag rules of SPEC section 10 (R-GATE-7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock
from zhiheng.org.models import Unit


class Level(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    EXPLAINED = "explained", _("已说明")
    RECTIFIED = "rectified", _("已整改")
    CASE_OPENED = "case_opened", _("已立案")


class Warning(models.Model):
    """A red flag raised on a unit: rule (RF1…), level, what it is about (`subject`, e.g. "matter:12"),
    the explanation with the triggering records, an owner (the unit inspector; the district's commission
    once `escalated_at` is set), and its resolution.

    `source` names what raised it — "entry:<index>" for a ledger entry a red flag consumed,
    "attempt:<key>" for a refused attempt (core/attempts.py), "scan:<rule>:<unit>:<key>" for a red-flag finding (risk/indicators; the scan and the event
    handlers share it) — and a
    rule raises one warning per (subject, source) at most, so a retry or a replay never duplicates one.
    """

    rule = models.CharField(_("规则"), max_length=8)
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices, default=Level.MEDIUM)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="warnings")
    subject = models.CharField(_("对象"), max_length=64)
    explanation = models.TextField(_("说明"))
    records = models.JSONField(_("触发记录"), default=list)
    source = models.CharField(_("来源"), max_length=96, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    resolution_note = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # R-GATE-7: an open warning is the unit inspector's; left open past the unit's "escalate_after_days"
    # (the "risk" parameter set) it becomes the commission's — owner cleared, the moment kept here.
    escalated_at = models.DateTimeField(_("转区纪委时间"), null=True, blank=True)
    created = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["unit", "rule", "created"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject", "source"],
                condition=~models.Q(source=""),
                name="risk_warning_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}"
