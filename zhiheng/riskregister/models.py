"""The risk register 廉政风险防控 (R-GATE-6): a unit's risk points, each under one of its powers, typed,
graded A–D, with prevention measures, an owner and a review cycle; and every version of each point."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power

from .states import DISCRETION, HARM, IMPORTANCE, PROBABILITY, Grade, RiskType, Status


class RiskPoint(TimeStamped):
    """A risk point 风险点 of one power of a unit: what could go wrong (`description`), its type (one of the
    five), the four grading inputs and the grade they give (grading.py under the unit's thresholds), the
    prevention measures 防控措施, the owner (a person holding a term in the unit) and the next review due.

    Drafted by the deputy in charge of the power or the unit inspector, published inside the unit (公示),
    retired with a reason; never deleted. Each change is a new `Revision` and one ledger entry."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    power = models.ForeignKey(
        Power, on_delete=models.PROTECT, related_name="risk_points", verbose_name=_("职权")
    )
    description = models.TextField(_("风险点描述"))
    type = models.CharField(_("风险类型"), max_length=16, choices=RiskType.choices)
    importance = models.PositiveSmallIntegerField(_("权力重要程度"), choices=IMPORTANCE)
    discretion = models.PositiveSmallIntegerField(_("自由裁量权大小"), choices=DISCRETION)
    probability = models.PositiveSmallIntegerField(_("发生概率"), choices=PROBABILITY)
    harm = models.PositiveSmallIntegerField(_("危害程度"), choices=HARM)
    score = models.PositiveSmallIntegerField(_("风险分值"))
    grade = models.CharField(_("风险等级"), max_length=1, choices=Grade.choices)
    measures = models.TextField(_("防控措施"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人")
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("上次复核"), null=True, blank=True)
    review_due = models.DateField(_("下次复核"))
    review_required_at = models.DateTimeField(_("要求复核时间"), null=True, blank=True)
    review_required_reason = models.TextField(_("要求复核理由"), blank=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("廉政风险点")
        verbose_name_plural = _("廉政风险点")
        ordering = ["power__code", "grade", "pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="riskregister_unit_status"),
            models.Index(fields=["status", "review_due"], name="riskregister_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5)
                & Q(discretion__gte=1, discretion__lte=5)
                & Q(probability__gte=1, probability__lte=5)
                & Q(harm__gte=1, harm__lte=5),
                name="riskregister_inputs_1_to_5",
            ),
            models.CheckConstraint(condition=Q(grade__in=["A", "B", "C", "D"]), name="riskregister_grade"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="riskregister_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.power.name}：{self.description[:30]}"

    @property
    def subject(self) -> str:
        return f"risk-point:{self.pk}"

    def inputs(self) -> dict[str, int]:
        return {
            "importance": self.importance,
            "discretion": self.discretion,
            "probability": self.probability,
            "harm": self.harm,
        }

    def content_digest(self) -> str:
        """SHA-256 of the point's text (description and measures): what the ledger records of it."""
        text = json.dumps({"description": self.description, "measures": self.measures}, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def snapshot(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "type": self.type,
            **self.inputs(),
            "score": self.score,
            "grade": self.grade,
            "measures": self.measures,
            "owner": self.owner_id,
            "status": self.status,
            "review_due": self.review_due.isoformat(),
        }


class Revision(models.Model):
    """One version of a risk point as it stood after a change: who, when, what action, the reason (for a
    change of grade or a retirement), the point's fields, and the ledger entry that recorded it."""

    point = models.ForeignKey(RiskPoint, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("版本"))
    action = models.CharField(_("操作"), max_length=24)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("理由"), blank=True)
    old_grade = models.CharField(_("原等级"), max_length=1, blank=True)
    grade = models.CharField(_("等级"), max_length=1)
    data = models.JSONField(_("内容"))
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("风险点版本")
        verbose_name_plural = _("风险点版本")
        ordering = ["point", "number"]
        constraints = [
            models.UniqueConstraint(fields=["point", "number"], name="riskregister_revision_once"),
        ]

    def __str__(self) -> str:
        return f"risk-point:{self.point_id} v{self.number}"
