"""Ledger event codes of the reporting channel (R-SUP-3). Every entry is district-level (no unit: a unit's
entries are read by its inspector) and its payload holds ids, the channel, statuses and outcomes only —
never the reporter's identity, the subject, the body, the unit or the person concerned."""

from django.utils.translation import gettext_lazy as _

from zhiheng.ledger.events import register

REPORT_RECEIVED = register("reports.received", _("受理举报"))
REPORT_READ = register("reports.read", _("查阅举报内容"))
REPORTER_WROTE = register("reports.reporter_wrote", _("举报人补充或答复"))
HANDLER_WROTE = register("reports.handler_wrote", _("承办人答复或提问"))
IDENTITY_REVEALED = register("reports.identity_revealed", _("查看举报人身份"))
CASE_OPENED = register("reports.case_opened", _("举报立案"))
CASE_CLOSED = register("reports.case_closed", _("举报案件办结"))
KEYS_ROTATED = register("reports.keys_rotated", _("更换举报数据密钥"))
CASE_JOINED = register("reports.case_joined", _("举报并入案件"))
CASE_HANDLERS_SET = register("reports.case_handlers_set", _("指定举报案件承办人"))
CASE_DEADLINE_SET = register("reports.case_deadline_set", _("变更举报案件办理期限"))
RULES_SET = register("reports.rules_set", _("信访举报办理期限设置"))
ATTACHED = register("reports.attached", _("举报附件（已清除元数据）"))
ATTACHMENT_READ = register("reports.attachment_read", _("查阅举报附件"))
ORIGINAL_READ = register("reports.attachment_original_read", _("查阅举报附件原始文件"))
