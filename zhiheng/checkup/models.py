"""廉政体检 The integrity check-up before appointment (SPEC §9.1): what a candidate declares (R-GATE-2), the
results of their integrity exam (R-GATE-1) and the commission's integrity opinion (R-GATE-4).

What a person declares about their family, and why the commission objects, is sensitive personal data: it is
stored sealed (`sealing.py`: Fernet with keys held outside the database), so a dump of the database holds no
plaintext of it, and every read of it is recorded in the ledger (services.reading). What must be sorted or
counted without opening it — the year, the risk score, the check codes, a result's status — stays plain.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped

from .states import OpinionStatus


class Declaration(TimeStamped):
    """One year's 廉情申报 of a person (R-GATE-2): the 14 items about self, spouse and children, with the
    automatic checks and their weighted risk score. A correction is the next version of the same year; the
    latest version is the declaration of that year."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报人")
    )
    year = models.PositiveSmallIntegerField(_("申报年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    sealed_items = models.BinaryField(_("申报内容（密文）"))
    sealed_checks = models.BinaryField(_("核查说明（密文）"))
    check_codes = models.JSONField(_("核查项"), default=list)
    risk_score = models.PositiveSmallIntegerField(_("风险分"), default=0)
    filed_at = models.DateTimeField(_("申报时间"))

    class Meta:
        verbose_name = _("廉情申报")
        verbose_name_plural = _("廉情申报")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "version"], name="checkup_declaration_version"),
            models.CheckConstraint(condition=models.Q(risk_score__lte=100), name="checkup_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} v{self.version}"

    @property
    def subject(self) -> str:
        return f"declaration:{self.pk}"


class ExamSitting(TimeStamped):
    """One sitting of a candidate's 任前廉政考试 (R-GATE-1): the first, and at most one make-up. The score is
    out of 100; passing is judged against the pass mark in force when it was recorded."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("考生")
    )
    attempt = models.PositiveSmallIntegerField(_("场次"))  # 1: the exam, 2: the make-up 补考
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1)
    pass_mark = models.DecimalField(_("合格分"), max_digits=5, decimal_places=1)
    sat_on = models.DateField(_("考试日期"))
    recorded_by = models.ForeignKey(  # null: the system (the demo builder)
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("廉政考试")
        verbose_name_plural = _("廉政考试")
        ordering = ["person_id", "-sat_on", "-attempt"]
        constraints = [
            models.CheckConstraint(condition=models.Q(attempt__in=[1, 2]), name="checkup_one_makeup"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="checkup_score_out_of_100"
            ),
        ]

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark

    @property
    def subject(self) -> str:
        return f"exam:{self.pk}"


class Opinion(TimeStamped):
    """The commission's 廉政意见 on a candidate (R-GATE-4). The latest one is in force; its reasons are
    sealed."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("候选人")
    )
    status = models.CharField(_("意见"), max_length=16, choices=OpinionStatus.choices)
    sealed_reasons = models.BinaryField(_("理由（密文）"))
    issued_by = models.ForeignKey(  # null: the system (the demo builder)
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("出具时间"))

    class Meta:
        verbose_name = _("廉政意见")
        verbose_name_plural = _("廉政意见")
        ordering = ["-issued_at", "-pk"]

    @property
    def subject(self) -> str:
        return f"opinion:{self.pk}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")
    SHORT = "short", _("简答题（人工评阅）")


class Question(TimeStamped):
    """A question of a district's exam bank 廉政考试题库 (R-GATE-1). Choice questions keep their options in
    the bank's order and the answer as option indexes; a paper shows the options in its own order
    (papers.py). A question leaves the bank by being retired, never deleted: papers drawn from it stay
    readable."""

    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    category = models.CharField(_("类别"), max_length=32)
    difficulty = models.PositiveSmallIntegerField(_("难度"))
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("答案"))  # choice: [option indexes]; true_false: bool; short: reference text
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("考试题目")
        verbose_name_plural = _("考试题库")
        ordering = ["district", "category", "difficulty", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=3), name="checkup_difficulty_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return self.stem[:40]


class Paper(TimeStamped):
    """A candidate's exam paper, drawn from the district's bank by a blueprint with a recorded seed
    (papers.draw): the bank's questions at that moment (their ids are kept), the blueprint and the seed
    draw it again, question for question, however the bank has changed since."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("考生")
    )
    seed = models.BigIntegerField(_("随机种子"))
    blueprint = models.JSONField(_("组卷规则"))  # [{"category", "difficulty", "count"}]
    questions = models.JSONField(_("试题"))  # [{"id", "options": [bank option indexes as shown]}]
    bank = models.JSONField(_("组卷时的题库"))  # the ids of the bank's questions drawn from, sorted
    generated_by = models.ForeignKey(  # null: the system (the demo builder)
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("组卷时间"))

    class Meta:
        verbose_name = _("考试试卷")
        verbose_name_plural = _("考试试卷")
        ordering = ["-generated_at", "-pk"]

    @property
    def subject(self) -> str:
        return f"paper:{self.pk}"


class OnlineSitting(TimeStamped):
    """A paper sat online (R-GATE-1): started by the candidate, with a deadline from the time limit in force,
    answers autosaved (sealed, like a declaration) until it is submitted or the deadline passes, then
    marked — choice questions on submission, short answers by the commission — and recorded as the
    candidate's exam sitting. A started paper always becomes a sitting: a candidate cannot peek at a paper
    and walk away to be given another."""

    paper = models.OneToOneField(
        Paper, on_delete=models.PROTECT, related_name="online", verbose_name=_("试卷")
    )
    started_at = models.DateTimeField(_("开考时间"))
    deadline = models.DateTimeField(_("交卷截止时间"))
    sealed_answers = models.BinaryField(_("作答（密文）"))
    saved_at = models.DateTimeField(_("最近保存时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    # question id → the share of its points earned, "0"–"1": choice questions on submission, short
    # answers by the marker. Plain: a mark says how well, not what was answered.
    marks = models.JSONField(_("评分"), default=dict)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sitting = models.OneToOneField(
        ExamSitting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online",
        verbose_name=_("考试场次"),
    )

    class Meta:
        verbose_name = _("在线考试")
        verbose_name_plural = _("在线考试")
        ordering = ["-started_at", "-pk"]

    @property
    def subject(self) -> str:
        return f"sitting:{self.pk}"

    def closed_at(self, now: dt.datetime) -> dt.datetime | None:
        """When answering ended: the submission, or the deadline once passed; None while answering."""
        if self.submitted_at is not None:
            return self.submitted_at
        return self.deadline if now > self.deadline else None


class ArchiveScheme(TimeStamped):
    """A district's list of the integrity archive's categories and subcategories (R-GATE-3: 7 and 25 by
    default, configurable). Versions are appended, never edited; the latest is in force."""

    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区")
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    # [{"code", "name", "subcategories": [{"code", "name"}]}]
    categories = models.JSONField(_("类别"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("廉政档案类别")
        verbose_name_plural = _("廉政档案类别")
        ordering = ["district", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "version"], name="checkup_archive_scheme_version"),
        ]


class ArchiveEntry(TimeStamped):
    """An entry of a person's 廉政档案 (R-GATE-3) written into it: by the commission's staff by hand, or
    by a later capability (reports, audits) through the archive's interface (`source` names its record).
    What the archive shows from declarations, exams, opinions and inspections is read from those records
    themselves (archive.py). The content is sealed; the category, date and source stay plain to sort."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("本人")
    )
    category = models.CharField(_("类别"), max_length=32)
    subcategory = models.CharField(_("子类"), max_length=32)
    occurred_on = models.DateField(_("发生日期"))
    sealed_content = models.BinaryField(_("内容（密文）"))  # {"title", "body"}
    source = models.CharField(_("来源"), max_length=64, blank=True)  # "" by hand, else e.g. "audit:3"
    recorded_by = models.ForeignKey(  # null: the system
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("廉政档案记录")
        verbose_name_plural = _("廉政档案记录")
        ordering = ["person_id", "-occurred_on", "-pk"]
        indexes = [models.Index(fields=["person", "occurred_on"], name="checkup_archive_person_day")]

    @property
    def subject(self) -> str:
        return f"archive:{self.pk}"
