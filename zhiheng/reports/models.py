"""信访举报 The reporting channel (SPEC R-SUP-3): reports received by web form, phone, e-mail or online
interview, the messages exchanged with the reporter, and the cases reports are triaged into.

What a reporter writes and who they are is sealed (`sealing.py`, keys outside the database): the subject and
body, every message, a case's reasons, and — in a field of its own, opened only by a case's named handlers —
the reporter's name and contact. The receipt code is stored only as its SHA-256 (it has ≥ 100 bits of
entropy, so the digest cannot be reversed by trying codes) and the passphrase only as a salted scrypt hash.
No row holds the reporter's IP address, browser or session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiheng.core.models import TimeStamped

from .states import Author, CaseStatus, Channel, Outcome, ReportStatus


class Case(TimeStamped):
    """A case 案件 opened by the district commission from one or more reports: its named handlers, a
    deadline, and one outcome when it closes (线索移送, 查证属实, 予以了结, 责令整改) with sealed reasons."""

    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("区")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("承办人"))
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    sealed_reason = models.BinaryField(_("办理理由（密文）"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("立案时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("举报案件")
        verbose_name_plural = _("举报案件")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", outcome="") | ~models.Q(status="open") & ~models.Q(outcome="")
                ),
                name="reports_case_outcome_iff_closed",
            )
        ]

    def __str__(self) -> str:
        return f"case:{self.pk}"

    @property
    def subject(self) -> str:
        return f"report-case:{self.pk}"


class Report(TimeStamped):
    """A report 举报 about a unit, a person or a matter, received through one channel. The reporter follows
    it up with the receipt code and passphrase; nothing else links the report to them."""

    district = models.ForeignKey(
        "org.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("受理的区")
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被举报单位"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被举报人"),
    )
    matter = models.ForeignKey(
        "matters.Matter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事项"),
    )
    sealed_content = models.BinaryField(_("举报内容（密文）"))  # {"subject", "body"}
    sealed_identity = models.BinaryField(
        _("举报人身份（密文）"), null=True, blank=True
    )  # {"name", "contact"}
    anonymous = models.BooleanField(_("匿名"), default=True)
    receipt_digest = models.CharField(_("查询码摘要"), max_length=64, unique=True)  # SHA-256 hex
    passphrase_hash = models.CharField(_("密码哈希"), max_length=200)  # scrypt$n$r$p$salt$hash
    received_at = models.DateTimeField(_("受理时间"))
    recorded_by = models.ForeignKey(  # null: the public form; else the staff who took the phone call etc.
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("案件")
    )

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["district", "received_at"], name="reports_district_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=True) | models.Q(sealed_identity__isnull=False),
                name="reports_named_has_identity",
            )
        ]

    def __str__(self) -> str:
        return f"report:{self.pk}"

    @property
    def subject(self) -> str:
        return f"report:{self.pk}"


class ReportMessage(models.Model):
    """A message of the follow-up conversation: the reporter's (answers, added material) or a handler's
    (replies, questions). Sealed; which handler wrote it is kept, never anything about the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("发送方"), max_length=10, choices=Author.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sealed_body = models.BinaryField(_("内容（密文）"))
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("举报沟通消息")
        verbose_name_plural = _("举报沟通消息")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author="reporter", handler__isnull=True)
                | models.Q(author="handler", handler__isnull=False),
                name="reports_message_author",
            )
        ]

    def __str__(self) -> str:
        return f"report-message:{self.pk}"


class ReportAttachment(models.Model):
    """A file attached to a report 举报附件 — by the reporter with the report or a follow-up, or by the staff
    recording a phone, e-mail or interview report. What a handler receives is `sealed_clean`: the file
    rebuilt without what could identify its author (scrubbing.py), under a neutral name (附件1.jpg). The
    reporter's own file and its name are kept — sealed, in `sealed_original` — only if the reporter agreed,
    and opened only by the case's named handlers with a reason. In clear: the type and size of the clean
    file, nothing else about it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    number = models.PositiveSmallIntegerField(_("序号"))  # 1, 2, … within the report: 附件1, 附件2
    name = models.CharField(_("名称"), max_length=40)  # neutral: 附件<number><ext>, never the reporter's
    content_type = models.CharField(_("类型"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))  # of the clean file
    sealed_clean = models.BinaryField(_("清除元数据后的文件（密文）"))
    sealed_original = models.BinaryField(  # {"name", "data"}: only with the reporter's consent
        _("原始文件（密文）"), null=True, blank=True
    )
    consent = models.BooleanField(_("举报人同意保留原始文件"), default=False)
    author = models.CharField(_("提供方"), max_length=10, choices=Author.choices, default=Author.REPORTER)
    added_by = models.ForeignKey(  # null: the reporter, through the public pages; else the staff or handler
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("添加时间"))

    class Meta:
        verbose_name = _("举报附件")
        verbose_name_plural = _("举报附件")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_attachment_number"),
            models.CheckConstraint(
                condition=models.Q(consent=True) | models.Q(sealed_original__isnull=True),
                name="reports_attachment_original_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"report-attachment:{self.pk}"

    @property
    def has_original(self) -> bool:
        return self.sealed_original is not None
