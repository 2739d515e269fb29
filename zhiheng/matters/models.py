"""Matters 事项, budget lines 预算指标, and what happens to a matter (R-MAT)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core import clock
from zhiheng.core.models import TimeStamped
from zhiheng.core.money import DECIMAL_PLACES, MAX_DIGITS
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power

from .states import MatterState


class MatterKind(models.TextChoices):
    """The kinds of matter the seed names (R-MAT-1)."""

    EXPENDITURE = "expenditure", _("财务支出")
    PURCHASE = "purchase", _("物资采购")
    PERSONNEL_APPOINTMENT = "personnel_appointment", _("干部任免")
    PERSONNEL_ACTION = "personnel_action", _("其他人事事项")
    CONSTRUCTION_CONTRACT = "construction_contract", _("工程合同")
    DESIGN_CHANGE = "design_change", _("设计变更")
    ADMIN_APPROVAL = "admin_approval", _("行政审批")
    PENALTY = "penalty", _("行政处罚")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证照")
    OTHER = "other", _("其他事项")


# The kind a matter gets from its power's category when the submitter names none.
DEFAULT_KIND_BY_CATEGORY = {
    "finance": MatterKind.EXPENDITURE,
    "procurement": MatterKind.PURCHASE,
    "personnel": MatterKind.PERSONNEL_APPOINTMENT,
    "construction": MatterKind.CONSTRUCTION_CONTRACT,
    "admin_approval": MatterKind.ADMIN_APPROVAL,
    "project_approval": MatterKind.ADMIN_APPROVAL,
    "admin_enforcement": MatterKind.PENALTY,
}

# R-MAT-1 (issue 9 hole 1): the kinds a matter of a power's category may have. The kind decides which
# rules apply (thresholds, co-sign, budget line, joint review), so the submitter does not choose it
# freely: a finance matter is an expenditure, never "other". A category not listed (a district-added
# one) allows only "other".
ALLOWED_KINDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "finance": (MatterKind.EXPENDITURE,),
    "procurement": (MatterKind.PURCHASE,),
    "personnel": (MatterKind.PERSONNEL_APPOINTMENT, MatterKind.PERSONNEL_ACTION),
    "construction": (MatterKind.CONSTRUCTION_CONTRACT, MatterKind.DESIGN_CHANGE),
    "admin_approval": (MatterKind.ADMIN_APPROVAL,),
    "project_approval": (MatterKind.ADMIN_APPROVAL,),
    "admin_enforcement": (MatterKind.PENALTY, MatterKind.LICENCE_REVOCATION),
}


def allowed_kinds(category_code: str) -> tuple[str, ...]:
    """The kinds a matter of this power category may have; the first is the default."""
    return ALLOWED_KINDS_BY_CATEGORY.get(category_code, (MatterKind.OTHER,))


class BudgetLine(TimeStamped):
    """A declared budget line 预算指标 of a unit (R-MAT-5). `reserved` is what approved matters hold;
    the database refuses reserved > amount, so no code path can overspend."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="budget_lines")
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=128)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    amount = models.DecimalField(_("预算金额"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    reserved = models.DecimalField(
        _("已占用"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )

    class Meta:
        verbose_name = _("预算指标")
        verbose_name_plural = _("预算指标")
        ordering = ["unit", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="matters_budget_line_code_unique"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("amount")),
                name="matters_budget_never_overspent",
                violation_error_message="R-MAT-5：预算指标不足",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.reserved


class Matter(TimeStamped):
    """事项: one exercise of a power (R-MAT-1). `deputy` is the deputy in charge frozen at submission
    (R-MAT-2); `requires_*` and the co-sign rows are what the rules demanded at submission."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="matters")
    power = models.ForeignKey(Power, on_delete=models.PROTECT, related_name="matters")
    kind = models.CharField(_("类型"), max_length=32, choices=MatterKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    amount = models.DecimalField(
        _("金额"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    counterparty = models.CharField(_("相对方"), max_length=200, blank=True)
    counterparty_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="matters"
    )
    major = models.BooleanField(_("三重一大"), default=False)
    # Frozen at submission (issue 9 hole 7): whether the power was restricted for the unit on that day,
    # and its category then. A later catalogue re-categorisation cannot lift the principal's exclusion.
    restricted = models.BooleanField(_("受限职权"), default=False)
    category = models.CharField(_("职权类别"), max_length=48, blank=True)
    state = models.CharField(
        _("状态"), max_length=24, choices=MatterState.choices, default=MatterState.SUBMITTED
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), default=clock.now)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("分管副职")
    )
    requires_collective = models.BooleanField(default=False)
    collective_reasons = models.JSONField(default=list, blank=True)
    requires_joint_review = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_ref = models.CharField(max_length=64, blank=True)  # "meeting:12/item:3" for collective ones
    reserved_amount = models.DecimalField(
        _("已占用预算"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True, blank=True
    )
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "state", "submitted_at"]),
            models.Index(fields=["deputy", "state"]),
            # The lists' order (newest first), whole (a district's admins) and per visibility branch.
            models.Index(fields=["submitted_at", "id"], name="matters_submitted"),
            models.Index(fields=["unit", "submitted_at", "id"], name="matters_unit_submitted"),
            models.Index(fields=["submitted_by", "submitted_at"], name="matters_submitter_submitted"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def subject(self) -> str:
        return f"matter:{self.pk}"


class MatterEvent(models.Model):
    """The history of a matter, as the API returns it: when, who, what, with the note."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32)
    state = models.CharField(max_length=24)
    note = models.TextField(blank=True)
    ledger_index = models.BigIntegerField(null=True)
    # Batched ledger sequencing (ledger decision 0017): the pending entry's id until the integrator fills in
    # ledger_index (ledger.services.sequencing.anchor_resolver, registered in apps.py); NULL inline.
    ledger_pending = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.action}"


class Cosign(models.Model):
    """A signature R-MAT-4 requires on a matter; `signed_at` empty means still missing."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="cosigns")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=24)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "signer"], name="matters_one_cosign_per_signer")
        ]
        indexes = [models.Index(fields=["signer", "signed_at"], name="matters_cosign_signer_signed")]

    def __str__(self) -> str:
        return f"{self.matter_id} 会签 {self.signer_id}"


class JointOpinion(models.Model):
    """One panel member's opinion in an enforcement joint review 行政执法会审 (R-MAT-7)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="joint_opinions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=24)
    opinion = models.CharField(max_length=16, choices=[("agree", _("同意")), ("disagree", _("不同意"))])
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "member"], name="matters_one_opinion_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} 会审 {self.member_id} {self.opinion}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"matters/{instance.matter_id}/{filename}"


class Evidence(models.Model):
    """An evidence file of a matter, stored under MEDIA_ROOT (size and type checked by the service)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=255)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
