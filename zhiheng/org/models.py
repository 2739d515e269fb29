"""Districts → units → leadership teams, with dated terms of office (R-ORG-1/2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped


class District(TimeStamped):
    """区: the level at which the discipline commission supervises, sets policy and receives filings."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("区")
        verbose_name_plural = _("区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    TOWNSHIP = "township", _("镇")
    XIANG = "xiang", _("乡")
    SUBDISTRICT = "subdistrict", _("街道")
    BRANCH = "branch", _("垂直管理分局")
    OTHER = "other", _("其他")


class Unit(TimeStamped):
    """单位: a public unit with its own leadership team (a bureau, a township, a subdistrict…)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="units", verbose_name=_("区")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["district__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="org_unit_name_unique_in_district"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("一把手")
    DEPUTY = "deputy", _("副职")
    INSPECTOR = "inspector", _("纪检组长")
    STAFF = "staff", _("经办人")


TEAM_ROLES = (Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR)
VOTING_ROLES = (Role.PRINCIPAL, Role.DEPUTY)


class Membership(TimeStamped):
    """A term of office in a unit: a person holds one role there from `start` to `end` (inclusive).

    The leadership team 领导班子 is the principal, the deputies and the unit inspector; staff are members
    of the unit but not of the team. `end` empty means the term is current. R-ORG-2 (one principal at
    any date) is enforced by the database: an exclusion constraint on PostgreSQL, a trigger on SQLite.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("人员")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("单位")
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    start = models.DateField(_("任职起始"))
    end = models.DateField(_("任职截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["unit__code", "role", "start"]
        indexes = [models.Index(fields=["unit", "role", "start"]), models.Index(fields=["person", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="org_membership_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role="principal", end__isnull=True),
                name="org_one_open_principal_term",
                violation_error_message="R-ORG-2：同一单位同一时间只能有一名一把手",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()} {self.person}"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def is_team(self) -> bool:
        return self.role in TEAM_ROLES


class DistrictRoleKind(models.TextChoices):
    COMMISSION_ADMIN = "commission_admin", _("纪委管理员")
    INSPECTION = "inspection", _("督察组")
    AUDITOR = "auditor", _("审计")


class DistrictRole(TimeStamped):
    """A role at district level (commission admin, inspection group member, auditor), with dates."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="district_roles",
        verbose_name=_("人员"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="roles", verbose_name=_("区")
    )
    role = models.CharField(_("角色"), max_length=24, choices=DistrictRoleKind.choices)
    title = models.CharField(_("职务"), max_length=64, blank=True)
    # R-SUP-2: a district has several inspection groups (Nanchuan had five); an inspection member serves in
    # one of them, numbered 第N督察组. The members of one group share the group's checks (zhiheng.inspections).
    group = models.PositiveSmallIntegerField(_("督察组"), null=True, blank=True)
    start = models.DateField(_("起始"))
    end = models.DateField(_("截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("区级角色")
        verbose_name_plural = _("区级角色")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="org_districtrole_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.get_role_display()} {self.person}"
