"""The risk app's codes in Chinese (zhiheng.web.labels): warning levels and statuses, red-flag rules and
warnings named as `warning:<id>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .models import Level, WarningStatus
from .parameters import FIELDS
from .redflags import RULES

labels.register_each("risk", level=Level, status=WarningStatus, rule=RULES)
labels.register_subject("warning", _("预警"))
labels.register_subject("risk-thresholds", labels.rules_of(_("预警阈值")))
labels.register_fields(
    {
        "level": (_("级别"), "risk.level"),
        "status": (_("处理结果"), "risk.status"),
        "about": (_("涉及"), "@"),
        "records": _("相关记录"),
        "rule": _("规则"),
        "at": _("时间"),
        "after_days": _("未处理天数"),  # risk.warning_escalated
    }
)
# The "risk" parameter set's changes: its fields by name, and the list of changed fields.
labels.register("risk.rule_field", {key: spec[0] for key, spec in FIELDS.items()})
labels.register("risk.escalated_to", {"commission": _("区纪委")})
labels.register_fields({key: spec[0] for key, spec in FIELDS.items()})
labels.register_fields({"changed": (_("变更项"), "risk.rule_field"), "to": (_("转至"), "risk.escalated_to")})
