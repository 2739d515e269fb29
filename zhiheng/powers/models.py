"""Power catalogue 职权目录, policy templates and division-of-labour plans 分工方案 (R-DIV)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.org.models import District, Unit


class Category(TimeStamped):
    """A category of powers (R-DIV-2): the common three, the X categories, and ones a district adds."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32)
    is_common = models.BooleanField(_("共性权力"), default=False)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="power_categories",
        help_text=_("为空表示全市通用类别；否则为该区自行增设的类别"),
    )
    sort = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("职权类别")
        verbose_name_plural = _("职权类别")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class PolicyTemplate(TimeStamped):
    """A versioned policy template (R-DIV-3), e.g. `jiangbei-3x` v1 or `nanchuan-5` v1.

    `restricted` are the categories restricted in every unit on the template; when `x_choice` is on,
    each unit adds its own X categories (UnitPolicy.x_categories).
    """

    code = models.SlugField(_("代码"), max_length=32)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=64)
    description = models.TextField(_("说明"), blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="policy_templates"
    )
    restricted = models.ManyToManyField(Category, related_name="+", verbose_name=_("不直接分管类别"))
    x_choice = models.BooleanField(_("单位自选 X 项"), default=False)
    effective_from = models.DateField(_("生效日期"))

    class Meta:
        verbose_name = _("政策模板")
        verbose_name_plural = _("政策模板")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="powers_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"  # people read the name; the code stays in data attributes


class UnitPolicy(TimeStamped):
    """The template a unit follows from a date, with its own X choice (R-ORG-3). Changing it is a new row."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="policies")
    template = models.ForeignKey(PolicyTemplate, on_delete=models.PROTECT, related_name="unit_policies")
    x_categories = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("X 项"))
    in_force_from = models.DateField(_("生效日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("单位政策")
        verbose_name_plural = _("单位政策")
        ordering = ["unit", "-in_force_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "in_force_from"], name="powers_unitpolicy_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.template.code} @{self.in_force_from}"


class Power(TimeStamped):
    """One power in a unit's catalogue (R-DIV-1), with its legal basis and operation flowchart.

    `flowchart` is an ordered list of steps: [{"step": "受理", "role": "经办人", "output": "受理单"}, …].
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="powers")
    code = models.SlugField(_("代码"), max_length=48)
    name = models.CharField(_("名称"), max_length=128)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="powers", verbose_name=_("类别")
    )
    legal_basis = models.TextField(_("法律依据"), blank=True)
    flowchart = models.JSONField(_("权力运行流程图"), default=list, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("职权")
        verbose_name_plural = _("职权")
        ordering = ["unit", "category__sort", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="powers_power_code_unique_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class IncompatiblePair(TimeStamped):
    """A pair of categories one deputy may not hold together in a district (R-DIV-4, RF11).

    Never deleted: removing a pair is a dated act (`retired_on`), so "which pairs applied on date D"
    stays answerable and a re-added pair is a new row.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="incompatible_pairs")
    first = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    # Applies to plans in force on days in [added_on, retired_on); added_on null = since always.
    added_on = models.DateField(_("设定日期"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retired_on = models.DateField(_("取消日期"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("不相容职权组合")
        verbose_name_plural = _("不相容职权组合")
        ordering = ["district", "first__sort", "second__sort", "-added_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "first", "second"],
                condition=Q(retired_on__isnull=True),
                name="powers_pair_unique_active",
            ),
            models.CheckConstraint(condition=~Q(first=models.F("second")), name="powers_pair_distinct"),
        ]

    def __str__(self) -> str:
        return f"{self.first} × {self.second}"


class FilingDeadline(TimeStamped):
    """The district's deadline for filing division plans (R-DIV-5), e.g. Nanchuan: by 1 April."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="filing_deadlines")
    label = models.CharField(_("名称"), max_length=64)
    opens_on = models.DateField(_("起始"))
    due = models.DateField(_("截止"))

    class Meta:
        verbose_name = _("报送期限")
        verbose_name_plural = _("报送期限")
        ordering = ["district", "-due"]

    def __str__(self) -> str:
        return f"{self.district} {self.label}（{self.due}）"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已报送")
    WITHDRAWN = "withdrawn", _("已撤回")


class DivisionPlan(TimeStamped):
    """A version of a unit's division of labour (R-DIV-4..6). Filed versions are never edited;
    an adjustment 分工调整 is a new version with a later in-force date.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="division_plans")
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    in_force_from = models.DateField(_("生效日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("起草时间"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # R-DIV-5: the deadline round the filing answered, and whether it came after that round's due date.
    # Stored at filing time so that a later change of the district's deadlines does not rewrite history.
    deadline = models.ForeignKey(
        FilingDeadline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("报送期限"),
    )
    filed_late = models.BooleanField(_("逾期报送"), default=False)
    # When "came into force" was written to the ledger (at filing for dates already reached, or by
    # record_plans_coming_into_force() on the day for future dates): never twice.
    in_force_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("分工方案")
        verbose_name_plural = _("分工方案")
        ordering = ["unit", "-version"]
        indexes = [models.Index(fields=["unit", "status", "in_force_from"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="powers_plan_version_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(in_force_from__isnull=False, filed_at__isnull=False),
                name="powers_filed_plan_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 分工方案 v{self.version}"


class Assignment(models.Model):
    """One power of a plan assigned to one deputy in charge 分管副职 (unique per plan and power)."""

    plan = models.ForeignKey(DivisionPlan, on_delete=models.CASCADE, related_name="assignments")
    power = models.ForeignKey(Power, on_delete=models.PROTECT, related_name="assignments")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("分管安排")
        verbose_name_plural = _("分管安排")
        constraints = [models.UniqueConstraint(fields=["plan", "power"], name="powers_one_deputy_per_power")]

    def __str__(self) -> str:
        return f"{self.power} → {self.deputy}"


class PowerChangeStatus(models.TextChoices):
    PENDING = "pending", _("待区纪委确认")
    ACCEPTED = "accepted", _("已确认")
    REJECTED = "rejected", _("已驳回")


class PowerChange(TimeStamped):
    """A change to a unit's restricted catalogue proposed by the unit, for the district's commission to
    accept or reject (R-DIV-2; issue 9 hole 7): re-categorising a power from or to a category restricted
    for the unit, or deactivating a restricted power. Until accepted, the power keeps its category and
    state. `before`/`after` are {"category": code, "is_active": bool}.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="power_changes")
    power = models.ForeignKey(Power, on_delete=models.PROTECT, related_name="changes")
    before = models.JSONField(_("变更前"))
    after = models.JSONField(_("变更后"))
    status = models.CharField(
        _("状态"), max_length=16, choices=PowerChangeStatus.choices, default=PowerChangeStatus.PENDING
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("职权目录变更")
        verbose_name_plural = _("职权目录变更")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["power"],
                condition=Q(status="pending"),
                name="powers_one_pending_change_per_power",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="powers_decided_change_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.power} {self.before} → {self.after} ({self.status})"
