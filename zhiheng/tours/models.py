"""Inspection tours 集中巡察 (R-GATE-5): a tour of the commission over units and their principals, the opinions
it collected, the problems it ordered rectified and the leads it transferred."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.org.models import District, Unit
from zhiheng.reports.models import Case

from .states import FindingState


class Tour(TimeStamped):
    """A tour 巡察 of the district's commission: its team 巡察组 (commission staff, none of them on a toured
    unit's team), the units it targets, and the method it follows — the district's steps, ways and
    measures copied when it opened (parameters.py). `step` counts the steps completed; the tour is done
    when it reaches the last, which it may not while a rectification is open."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="tours", verbose_name=_("区")
    )
    title = models.CharField(_("巡察名称"), max_length=200)
    started_on = models.DateField(_("开始日期"))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("巡察组成员"))
    method = models.JSONField(
        _("巡察工作法"), default=dict
    )  # {"steps": [...], "ways": [...], "measures": [...]}
    step = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    done_on = models.DateField(_("结束日期"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("巡察")
        verbose_name_plural = _("巡察")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("started_on")),
                name="tours_done_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"tour:{self.pk}"

    @property
    def steps(self) -> list[str]:
        return list(self.method.get("steps", []))

    @property
    def ways(self) -> list[str]:
        return list(self.method.get("ways", []))

    @property
    def measures(self) -> list[str]:
        return list(self.method.get("measures", []))


class Target(models.Model):
    """A unit the tour targets and its principal at the time of the tour. The unit's code and name, and the
    principal's name, are kept as they were: a tour of years ago may name a unit since merged or renamed
    (`unit` empty), and the principal since moved on."""

    tour = models.ForeignKey(Tour, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tour_targets",
        verbose_name=_("单位"),
    )
    unit_code = models.CharField(_("单位代码"), max_length=32)
    unit_name = models.CharField(_("单位名称"), max_length=100)
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("时任一把手"),
    )
    principal_name = models.CharField(_("时任一把手姓名"), max_length=50, blank=True)

    class Meta:
        ordering = ["tour", "unit_code"]
        constraints = [models.UniqueConstraint(fields=["tour", "unit_code"], name="tours_target_once")]

    def __str__(self) -> str:
        return self.unit_name


class Opinion(models.Model):
    """Opinions and suggestions 意见和建议 collected by one of the method's ways, counted (a questionnaire's
    many answers are one row), about one targeted unit or the tour as a whole. Seen only by the tour's
    team and the commission — never by anyone of the toured unit (rules)."""

    tour = models.ForeignKey(Tour, on_delete=models.PROTECT, related_name="opinions")
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions"
    )
    way = models.CharField(_("收集方式"), max_length=40)
    count = models.PositiveIntegerField(_("意见条数"), default=1)
    summary = models.TextField(_("内容摘要"), blank=True)
    collected_on = models.DateField(_("收集日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["collected_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="tours_opinion_counts")]

    def __str__(self) -> str:
        return f"{self.way} × {self.count}"


class Rectification(TimeStamped):
    """A problem the tour requires a targeted unit to rectify 整改问题, with a deadline: the unit's principal
    or inspector reports what was done, the tour team closes it (销号) with a date and its evidence.
    The closure date lies between the unit's report and the day it is recorded (no back-dating beyond the
    district's allowance), so it never precedes the opening."""

    tour = models.ForeignKey(Tour, on_delete=models.PROTECT, related_name="rectifications")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="rectifications")
    title = models.CharField(_("整改问题"), max_length=200)
    opened_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=FindingState.choices, default=FindingState.OPEN
    )
    response = models.TextField(_("整改情况"), blank=True)
    answered_on = models.DateField(_("报告日期"), null=True, blank=True)
    evidence = models.TextField(_("销号依据"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("巡察整改问题")
        verbose_name_plural = _("巡察整改问题")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opened_on")), name="tours_deadline_after_opening"
            ),
            # Closed ⇔ a closure date and evidence; the closure never precedes the opening or the report.
            models.CheckConstraint(
                condition=(
                    Q(state=FindingState.ACCEPTED, closed_on__isnull=False, answered_on__isnull=False)
                    & ~Q(evidence="")
                    & Q(closed_on__gte=F("answered_on"), answered_on__gte=F("opened_on"))
                )
                | (~Q(state=FindingState.ACCEPTED) & Q(closed_on__isnull=True)),
                name="tours_closed_with_date_and_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"tour-rectification:{self.pk}"


class Lead(TimeStamped):
    """A lead 问题线索 the tour transferred to the commission's case handling, about a targeted unit and its
    principal at the time; `case` is the report case it joined, when the commission names one."""

    tour = models.ForeignKey(Tour, on_delete=models.PROTECT, related_name="leads")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="leads")
    summary = models.TextField(_("线索摘要"))
    transferred_on = models.DateField(_("移交日期"))
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("案件")
    )
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["transferred_on", "pk"]
