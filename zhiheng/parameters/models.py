"""参数版本: the dated versions of every app's configurable rules (see registry.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock
from zhiheng.org.models import District, Unit


class ParameterVersion(models.Model):
    """One change of one parameter set at one scope: a district's default (unit empty) or a unit's
    override, in force from `in_force_from` (the Shanghai date it was set) until the scope's next version.
    Rows are only ever added — a change is a new version, clearing a unit's override is a version whose
    `values` is empty ("inherit") — so what was in force on any past day can be read back. `ledger_index`
    is the entry that recorded the change (empty on versions carried over without one)."""

    namespace = models.CharField(_("参数集"), max_length=32)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    values = models.JSONField(_("设定值"), null=True, blank=True, help_text=_("空：沿用上级"))
    in_force_from = models.DateField(_("生效日期"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("设定人"),
    )
    created_at = models.DateTimeField(_("设定时间"), default=clock.now, editable=False)
    ledger_index = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    # Batched ledger sequencing (ledger decision 0017): the pending entry's id until the integrator fills in
    # ledger_index (ledger.services.sequencing.anchor_resolver, registered in apps.py); NULL inline.
    ledger_pending = models.BigIntegerField(_("待入账编号"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("参数版本")
        verbose_name_plural = _("参数版本")
        indexes = [
            models.Index(
                fields=["namespace", "district", "unit", "in_force_from"], name="parameters_scope_day"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(namespace=""), name="parameters_has_namespace"),
        ]

    def __str__(self) -> str:
        return f"{self.namespace} {self.unit or self.district} {self.in_force_from}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("parameter versions are never changed; set a new version instead")
        super().save(*args, **kwargs)

    @property
    def scope(self) -> str:
        return "unit" if self.unit_id else "district"

    @property
    def inherits(self) -> bool:
        return self.values is None
