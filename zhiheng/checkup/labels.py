"""The check-up's codes in Chinese (zhiheng.web.labels): exam and opinion statuses, the checks, and
declarations, sittings, opinions, papers and archive entries named as `declaration:<id>` / `exam:<id>` /
`opinion:<id>` / `paper:<id>` / `archive:<id>`, and the archive's default categories (R-GATE-3)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.parameters import typed
from zhiheng.web import labels

from .archive import DEFAULT_SCHEME
from .checks import CHECKS
from .models import QuestionKind
from .parameters import FIELDS
from .states import ExamStatus, OnlineStatus, OpinionStatus

labels.register_each(
    "checkup", exam=ExamStatus, opinion=OpinionStatus, question_kind=QuestionKind, online=OnlineStatus
)
labels.register("checkup.check", CHECKS)
labels.register_subject("declaration", _("廉情申报"))
labels.register_subject("exam", _("廉政考试"))
labels.register_subject("opinion", _("廉政意见"))
labels.register_subject("paper", _("廉政考试试卷"))
labels.register_subject("sitting", _("在线考试"))
labels.register_subject("checkup-rules", labels.rules_of(_("廉政体检规则")))
labels.register_subject("archive", _("廉政档案记录"))
labels.register_subject("archive-scheme", labels.rules_of(_("廉政档案类别")))
labels.register("checkup.archive_category", {c.code: c.name for c in DEFAULT_SCHEME.categories})
labels.register(
    "checkup.archive_subcategory",
    {s.code: s.name for c in DEFAULT_SCHEME.categories for s in c.subcategories},
)
labels.register("checkup.rule_field", typed.labels_of(FIELDS))
labels.register_fields(
    {
        **typed.labels_of(FIELDS),
        "year": _("申报年度"),
        "risk_score": _("风险分"),
        "checks": (_("核查项"), "checkup.check"),
        "declarant": (_("申报人"), "@person"),
        "reader": (_("查阅人"), "@person"),
        "candidate": (_("候选人"), "@person"),
        "attempt": _("场次"),
        "score": _("成绩"),
        "passed": _("是否合格"),
        "opinion": (_("意见"), "checkup.opinion"),
        "imported": _("导入题数"),
        "file_sha256": _("文件摘要（SHA-256）"),
        "checkup.paper_drawn/seed": _("组卷随机种子"),
        "blueprint": _("组卷规则"),
        "questions": _("试题"),
        "bank_sha256": _("题库摘要（SHA-256）"),
        "archive_category": (_("档案类别"), "checkup.archive_category"),
        "archive_subcategory": (_("档案子类"), "checkup.archive_subcategory"),
        "archive_source": (_("来源记录"), "@"),
        "archive_categories": _("类别数"),
        "archive_subcategories": _("子类数"),
        "opened": (_("打开的加密记录"), "@"),
        "paper": _("试卷编号"),
        "checkup.sitting_started/deadline": _("交卷截止时间"),
        "answered": _("已答题数"),
        "answers_sha256": _("作答摘要（SHA-256）"),
        "out_of_time": _("到时自动交卷"),
    }
)
