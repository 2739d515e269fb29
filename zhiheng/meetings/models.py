"""Meetings 三重一大 (R-MTG): meetings, agenda items, candidates, attendance, statements,
real-name recommendations and post-sealing corrections.

Decisions are stored only as `tally.decide()` computed them at close; statements, attendance and
recommendations are written once and never edited (R-MTG-7: corrections are new rows).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped
from zhiheng.org.models import Unit

from . import tally


class MeetingKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委（党组）会")
    OFFICE = "office", _("局长（主任）办公会")
    WORKING_GROUP = "working_group", _("工作小组会议")


class MeetingState(models.TextChoices):
    OPEN = "open", _("进行中")
    SEALED = "sealed", _("已封存")


class Meeting(TimeStamped):
    """A leadership-team meeting of one unit on one date (R-MTG-1). Sealed at close (R-MTG-7)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("单位"))
    kind = models.CharField(_("会议类型"), max_length=24, choices=MeetingKind.choices)
    category = models.CharField(
        _("工作小组类别"), max_length=32, blank=True, help_text=_("工作小组会议所决策的职权类别（R-MTG-8）")
    )
    title = models.CharField(_("会议名称"), max_length=128, blank=True)
    date = models.DateField(_("会议日期"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        verbose_name=_("主持人"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    blind = models.BooleanField(_("背靠背表态"), default=False)
    # The rules in force when the meeting was convened (meetings/parameters.py), so a later change
    # of the rules never alters how an open meeting is counted. Empty for meetings older than the field.
    rules = models.JSONField(_("议事规则（召集时）"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=MeetingState.choices, default=MeetingState.OPEN
    )
    sealed_at = models.DateTimeField(_("封存时间"), null=True, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_digest = models.CharField(_("纪要摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | Q(sealed_at__isnull=False), name="meetings_sealed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.unit} {self.get_kind_display()} {self.date}"

    @property
    def is_sealed(self) -> bool:
        return self.state == MeetingState.SEALED

    @property
    def ref(self) -> str:
        return f"meeting:{self.pk}"


class ItemKind(models.TextChoices):
    GENERAL = "general", _("一般议题")
    PERSONNEL = "personnel", _("人事议题")


class Item(TimeStamped):
    """An agenda item: linked to a matter (R-MAT-3/6/7 sent it to collective review) or a free proposal.

    `presenter` is the deputy in charge who presents and states first (R-MTG-3), frozen when the item is
    put on the agenda. `decision` and the counts are written only by the close, from tally.decide().
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    kind = models.CharField(_("议题类型"), max_length=16, choices=ItemKind.choices, default=ItemKind.GENERAL)
    # PROTECT: a matter decided (or on the agenda) in a meeting is part of sealed minutes (R-MTG-7).
    # Empty for a free-text proposal (R-MTG-1).
    matter = models.ForeignKey(
        "matters.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_items",
        verbose_name=_("关联事项"),
    )
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("分管副职（汇报人）"),
    )
    decision = models.CharField(_("决定"), max_length=16, blank=True)
    decision_reason = models.CharField(_("决定依据"), max_length=32, blank=True)
    agree = models.PositiveSmallIntegerField(default=0)
    disagree = models.PositiveSmallIntegerField(default=0)
    defer = models.PositiveSmallIntegerField(default=0)
    winner = models.ForeignKey(
        "Candidate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当选人"),
    )
    # R-MTG-3 (issue 9 hole 3): the voters of the item are frozen when its first statement is made, so
    # nobody registered later can make the principal's statement come "before" theirs. Members who
    # arrive afterwards attend the meeting but are late for this item: they neither state nor count.
    roll = models.JSONField(_("表态名单（首位表态时冻结）"), default=list, blank=True)
    roll_frozen_at = models.DateTimeField(_("名单冻结时间"), null=True, blank=True)
    # Hole 2: only the chair's explicit, reasoned deferral ends an item on which present members have
    # not all stated; it sends the matter back to the pool, never to "rejected".
    deferred_reason = models.TextField(_("缓议理由"), blank=True)
    deferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Hole 10: the facts the close computed, kept on the sealed row so the minutes can be re-derived
    # from the rows alone (team on the date, present voters, recusals).
    facts = models.JSONField(_("计票依据（闭会时）"), default=dict, blank=True)
    # Hole 4: what the decision led to for the matter ("approved", "awaiting_cosign", "rejected",
    # "returned" to the pool, "blocked" with the rule and reason). The close always seals.
    effect = models.CharField(_("决定的执行结果"), max_length=16, blank=True)
    effect_detail = models.JSONField(_("执行结果说明"), default=dict, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="meetings_item_number_unique"),
            models.UniqueConstraint(
                fields=["meeting", "matter"],
                condition=Q(matter__isnull=False),
                name="meetings_matter_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def ref(self) -> str:
        return f"meeting:{self.meeting_id}/item:{self.pk}"

    @property
    def decision_label(self) -> str:
        """The decision in words for people; `decision` keeps API.md's code (passed|rejected|…)."""
        return str(DECISION_LABELS.get(self.decision, self.decision))


DECISION_LABELS = {
    "passed": _("通过"),
    "rejected": _("未通过"),
    "deferred": _("缓议"),
    "no-quorum": _("不足法定人数"),
}


class Candidate(TimeStamped):
    """A candidate for the post of a personnel item: a free name, or a person when they have an account."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("姓名"), max_length=64)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="meetings_candidate_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AttendanceRole(models.TextChoices):
    MEMBER = "member", _("参会班子成员")
    INSPECTOR = "inspector", _("纪检组长（列席监督）")
    OBSERVER = "observer", _("列席")


class Attendance(TimeStamped):
    """Who was there: voting members, the unit inspector, and observers with who invited them (R-MTG-1)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=16, choices=AttendanceRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("邀请（登记）人")
    )

    class Meta:
        ordering = ["meeting", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meetings_attend_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()}"


class Position(models.TextChoices):
    AGREE = tally.AGREE, _("同意")
    DISAGREE = tally.DISAGREE, _("不同意")
    DEFER = tally.DEFER, _("缓议")


class Statement(TimeStamped):
    """One member's explicit position on one item, in their own name (R-MTG-3/4). Written once.

    `seq` is the speaking order on the item; `digest` commits to the content (recorded in the ledger at
    once, so a blind statement is provably unchanged when revealed at the seal).
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="statements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveSmallIntegerField(_("发言顺序"))
    position = models.CharField(_("表态"), max_length=16, choices=Position.choices)
    reason = models.TextField(_("理由"))
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counted = models.BooleanField(_("计入表决"), default=True)
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="meetings_state_once"),
            models.UniqueConstraint(fields=["item", "seq"], name="meetings_statement_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_position_display()}"


class Recommendation(TimeStamped):
    """实名推荐 (R-MTG-5): a named person recommends a candidate with written reasons; kept on record."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="recommendations")
    recommender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("推荐理由"))

    class Meta:
        ordering = ["candidate", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "recommender"], name="meetings_recommend_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recommender} → {self.candidate}"


class Correction(TimeStamped):
    """A dated correction to sealed minutes (R-MTG-7): a new entry, never an edit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("更正内容"))

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"更正 #{self.pk}"
