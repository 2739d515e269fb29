"""The supervision app's codes in Chinese (zhiheng.web.labels): its ledger subjects and payload keys, and
the red flag it raises (RF6, late duties: a monthly report not acknowledged in time)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.org.models import Unit
from zhiheng.web import labels

from . import months
from .rf6 import RULE, TITLE

labels.register("risk.rule", {RULE: TITLE})


def _reports(rests: list[str]) -> dict[str, str]:
    """ "monthly-report:<unit>:<YYYY-MM>" → 月度财务明细 "测试局 2026年2月" (one query for a page of references)."""
    codes = {rest.partition(":")[0] for rest in rests}
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    out = {}
    for rest in rests:
        code, _sep, text = rest.partition(":")
        month = months.parse(text)
        out[rest] = f"{names.get(code, code)} {months.label(month) if month else text}"
    return out


labels.register_subject("monthly-report", _reports, name=_("月度财务明细"))
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
