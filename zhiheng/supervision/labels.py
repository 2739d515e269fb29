"""The supervision app's codes in Chinese (zhiheng.web.labels): its ledger subjects and payload keys, and
the red flag it raises (RF6, late duties: a monthly report not acknowledged in time)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .rf6 import RULE, TITLE

labels.register("risk.rule", {RULE: TITLE})
labels.register_subject("monthly-report", _("月度财务明细"))
labels.register_subject("supervision-rules", labels.rules_of(_("月度汇报规则")))
labels.register_fields(
    {
        "month": _("月份"),
        "digest": _("摘要哈希"),
        "due": _("确认期限"),
        "ack_days": _("确认期限（天）"),
        "issue_day": _("每月生成日"),
        "body": _("内容"),
    }
)
