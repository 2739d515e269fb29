"""Pilot programmes 试点 (R-PIL-1): a district tries the reform in chosen units through dated phases, under
the commission's supervision visits 督查, then rolls it out 推开 to the rest of its units."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.org.models import District, Unit
from zhiheng.powers.models import UnitPolicy

from .states import PhaseName


class Programme(TimeStamped):
    """A district's pilot programme: its name, its units (`Member`), its phases (`Phase`), the commission's
    visits (`Visit`) and, once decided, its rollout 推开 (`rolled_out_on`, the units it brought in as
    `RolloutUnit`). Configured by the district's commission admins; every change is a ledger entry."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    name = models.CharField(_("试点名称"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rolled_out_on = models.DateField(_("全面推开日期"), null=True, blank=True)
    rolled_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("试点")
        verbose_name_plural = _("试点")
        ordering = ["district", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="pilots_programme_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subject(self) -> str:
        return f"pilot:{self.pk}"

    def phase_dates(self) -> dict[str, dt.date]:
        return {p.name: p.start for p in self.phases.all()}


class _ProgrammeUnit(models.Model):
    """A unit of a programme, once."""

    programme_id: int
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))

    class Meta:
        abstract = True
        ordering = ["programme", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="%(app_label)s_%(class)s_once")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}:{self.unit_id}"


class Member(_ProgrammeUnit):
    """A unit taking part in the pilot 试点单位."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    added_at = models.DateTimeField(_("加入时间"))

    class Meta(_ProgrammeUnit.Meta):
        verbose_name = _("试点单位")
        verbose_name_plural = _("试点单位")


class Phase(models.Model):
    """One of the three phases, from a date (API.md: {"name", "from"})."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("阶段"), max_length=8, choices=PhaseName.choices)
    start = models.DateField(_("起始日期"))

    class Meta:
        verbose_name = _("试点阶段")
        verbose_name_plural = _("试点阶段")
        ordering = ["programme", "start"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="pilots_phase_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.start}"


class Visit(models.Model):
    """A supervision visit 督查 of the commission to some of the pilot's units: when, who went, what they
    recorded."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="visits")
    on = models.DateField(_("督查日期"))
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("督查单位"))
    visitors = models.CharField(_("督查人员"), max_length=200)
    findings = models.TextField(_("督查记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["programme", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.on}"

    def content_digest(self) -> str:
        """SHA-256 of the visit's record: what the ledger keeps of it."""
        return hashlib.sha256(self.findings.encode()).hexdigest()


class RolloutUnit(_ProgrammeUnit):
    """A unit the rollout brought in, with the policy it set from the rollout date (none when the unit's
    policy was already in force on that date and was kept)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rollout_units")
    policy = models.ForeignKey(UnitPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(_ProgrammeUnit.Meta):
        verbose_name = _("推开单位")
        verbose_name_plural = _("推开单位")
