"""Ledger event codes of the integrity check-up: stable once written (entries are hashed). No payload holds
the sealed data itself: an entry says who did what to whose record, the record holds what was said."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

DECLARATION_FILED = register("checkup.declaration_filed", _("廉情申报"))
DECLARATION_READ = register("checkup.declaration_read", _("查阅廉情申报"))
EXAM_RECORDED = register("checkup.exam_recorded", _("登记廉政考试成绩"))
CANDIDACY_CANCELLED = register("checkup.candidacy_cancelled", _("补考未通过，取消任职资格"))
OPINION_ISSUED = register("checkup.opinion_issued", _("出具廉政意见"))
OPINION_READ = register("checkup.opinion_read", _("查阅廉政意见理由"))
RULES_SET = register("checkup.rules_set", _("廉政体检规则设置"))
KEYS_ROTATED = register("checkup.keys_rotated", _("廉政体检数据更换密钥"))
QUESTIONS_IMPORTED = register("checkup.questions_imported", _("导入廉政考试题目"))
PAPER_DRAWN = register("checkup.paper_drawn", _("生成廉政考试试卷"))
SITTING_STARTED = register("checkup.sitting_started", _("开始在线考试"))
SITTING_SUBMITTED = register("checkup.sitting_submitted", _("在线考试交卷"))
ANSWERS_READ = register("checkup.answers_read", _("查阅考试作答"))
ARCHIVE_SCHEME_SET = register("checkup.archive_scheme_set", _("设置廉政档案类别"))
ARCHIVE_ENTRY_ADDED = register("checkup.archive_entry_added", _("廉政档案添加记录"))
ARCHIVE_READ = register("checkup.archive_read", _("查阅廉政档案"))
