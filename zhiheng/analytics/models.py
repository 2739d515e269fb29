"""The monthly roll-up 月度汇总 behind the analytics pages (issue 15, decision 0022).

Derived data, never the record: every row is recomputed from the matters, co-signatures, vetoes and sealed
minutes of its unit and month (rollup.py), by the ledger entries that change them, by the hourly catch-up
and by `zhiheng analytics rebuild`. Recomputing (never incrementing) makes a replay harmless.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.org.models import Unit


class UnitRollup(models.Model):
    """A unit's roll-up as a whole: the reform date its cells were split by (before/after), and the row a
    refresh locks, so two refreshes of one unit never interleave. A unit whose reform date has changed
    since is read from the matters until it is refreshed (selectors.py)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, primary_key=True, related_name="+")
    reform = models.DateField(_("改革日期"), null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.unit_id} 汇总（改革日期 {self.reform}）"


class CellKind(models.TextChoices):
    MATTER = "matter", _("事项")  # by side of the reform: counts, amounts, waits
    CATEGORY = "category", _("职权类别")  # by category: waits
    DEPUTY = "deputy", _("分管副职")  # by deputy in charge: waits
    SIGNER = "signer", _("独立审批人")  # by who decided alone: waits
    COSIGN = "cosign", _("会签")  # by co-signer: waits from 待会签 to the signature


class MonthlyCell(models.Model):
    """What a unit's matters submitted in one Shanghai month did, for one value of what a page groups by —
    one row per value, so that each figure reads as few rows as it can:

    - "matter": per side of the reform (`after`): how many matters, their amount, how many decided by a
      meeting, and the waits of the decided ones;
    - "category": per category, "deputy": per deputy in charge (`deputy`), "signer": per person who
      decided alone (`signer`): the waits of the decided ones;
    - "cosign": per co-signer (`signer`, R-MAT-4): the waits from the matter's entering 待会签 to the
      signature.

    `waits` holds the waits in tenths of a day, rounded by the database exactly as sources.TenthsOfDay
    does, packed as 8 hexadecimal digits each (stats.pack); the pages concatenate a group's cells in SQL,
    unpack them in one call and take exact medians and 90th percentiles."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the Shanghai month of submission
    kind = models.CharField(max_length=8, choices=CellKind.choices, default=CellKind.MATTER)
    after = models.BooleanField(_("改革后"), default=False)
    category = models.CharField(_("职权类别"), max_length=48, blank=True, default="")
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    matters = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    collective = models.PositiveIntegerField(default=0)  # decided by a meeting (no one decided alone)
    waits = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["unit", "month"], name="analytics_cell_unit_month"),  # refreshes
            models.Index(fields=["kind", "unit", "month"], name="analytics_cell_kind_unit"),  # the pages
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.kind}"


class MonthlyTally(models.Model):
    """A unit's month counted by when things happened, not by submission: vetoes 一把手否决 (by the veto's
    day) and the items of its sealed minutes (by the meeting's date)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("月份"))
    vetoes = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)  # items of sealed minutes, decided or not
    meeting_decisions = models.PositiveIntegerField(default=0)
    dissent = models.PositiveIntegerField(default=0)
    items_with_dissent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="analytics_one_tally_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
