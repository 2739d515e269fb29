"""Unit rules 单位制度 (R-PIL-2): each unit's rules as versioned texts linked to the powers they govern, each
version adopted by a sealed meeting of the unit; and the district's library of model rules 制度范本 that units
adopt and adapt."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.meetings.models import Item, Meeting
from zhiheng.org.models import District, Unit
from zhiheng.powers.models import Category, Power

from .states import ModelStatus, RuleStatus


def clean_body(body: str) -> str:
    """A rule's text as stored: Unix line ends, no surrounding blank space (so an Excel round trip is equal)."""
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


def text_digest(title: str, body: str) -> str:
    """SHA-256 of a text's title and body: what the ledger records of it, so it proves each version."""
    text = json.dumps({"title": title, "body": body}, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ModelRule(TimeStamped):
    """A model rule 制度范本 of a district's library, written by its commission admins: a code, a group, a title
    and a text, the categories of powers it is meant for. Edited in place (each edit bumps `version`, and
    the ledger keeps the digest of every version); withdrawn 停用, never deleted."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区"))
    code = models.SlugField(_("范本编号"), max_length=32)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=128)
    body = models.TextField(_("正文"))
    categories = models.ManyToManyField(
        Category, blank=True, related_name="+", verbose_name=_("适用职权类别")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=ModelStatus.choices, default=ModelStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("制度范本")
        verbose_name_plural = _("制度范本")
        ordering = ["district", "group", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="unitrules_model_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def subject(self) -> str:
        return f"model-rule:{self.pk}"

    def digest(self) -> str:
        return text_digest(self.title, self.body)


class Rule(TimeStamped):
    """A rule 制度 of one unit under a code that names it for ever (unique in the unit, repealed rules
    included). Its texts are its `versions`; the fields `title`, `group`, `version` and `adopted` repeat the
    latest version's (for lists), set only by the services. In force until repealed 废止 by a sealed
    meeting of the unit on `repealed_on`; a repealed rule is history. `model`: the district's model rule it
    was adopted from (and that model's version then), if any."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    code = models.SlugField(_("制度编号"), max_length=32)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=128)
    version = models.PositiveIntegerField(_("现行版本"), default=1)
    adopted = models.DateField(_("通过日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.IN_FORCE
    )
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    repeal_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("废止会议")
    )
    repeal_item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    repeal_reason = models.TextField(_("废止理由"), blank=True)
    model = models.ForeignKey(
        ModelRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adoptions",
        verbose_name=_("来源范本"),
    )
    model_version = models.PositiveIntegerField(_("范本版本"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("单位制度")
        verbose_name_plural = _("单位制度")
        ordering = ["unit", "group", "code"]
        indexes = [models.Index(fields=["unit", "status"], name="unitrules_unit_status")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="unitrules_rule_code_once"),
            models.CheckConstraint(
                condition=(Q(status=RuleStatus.REPEALED) & Q(repealed_on__isnull=False))
                | (Q(status=RuleStatus.IN_FORCE) & Q(repealed_on__isnull=True)),
                name="unitrules_repealed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(repealed_on__isnull=True) | Q(repealed_on__gt=models.F("adopted")),
                name="unitrules_repealed_after_adopted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def subject(self) -> str:
        return f"unit-rule:{self.pk}"


class RuleVersion(models.Model):
    """One version of a rule as adopted: its number (1, 2, …), title, group, text and the powers it governs;
    the date and the sealed meeting of the unit and its agenda item that passed it (none only for a rule
    adopted before the unit joined the system); who recorded it, the text's digest and the ledger entry.
    Written once: a change is a new version (save refuses to update a row, delete refuses always)."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=128)
    group = models.CharField(_("分组"), max_length=64, blank=True)
    body = models.TextField(_("正文"))
    powers = models.ManyToManyField(Power, blank=True, related_name="+", verbose_name=_("所涉职权"))
    adopted = models.DateField(_("通过日期"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("通过会议")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("通过议题")
    )
    note = models.TextField(_("修订说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    ledger_index = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("制度版本")
        verbose_name_plural = _("制度版本")
        ordering = ["rule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="unitrules_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="unitrules_version_from_1"),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True, item__isnull=True)
                | Q(meeting__isnull=False, item__isnull=False),
                name="unitrules_version_meeting_and_item",
            ),
        ]

    def __str__(self) -> str:
        return f"unit-rule:{self.rule_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # R-PIL-2: a version is never edited in place; only its ledger index is filled in after the fact.
        if not self._state.adding and kwargs.get("update_fields") != ["ledger_index"]:
            raise ValueError("R-PIL-2: a rule version is written once; a change is a new version")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("R-PIL-2: rule versions are kept; nothing is deleted")

    def snapshot(self) -> dict[str, Any]:
        return {"title": self.title, "group": self.group, "body": self.body}
