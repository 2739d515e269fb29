"""The unit rules' codes in Chinese (zhiheng.web.labels): statuses, rules named as `unit-rule:<id>` and
models as `model-rule:<id>`, and the fields of their ledger entries."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from . import events
from .states import ModelStatus, RuleStatus

labels.register_each("unitrules", status=RuleStatus, model_status=ModelStatus)
labels.register_subject("unit-rule", _("单位制度"))
labels.register_subject("model-rule", _("制度范本"))

FIELDS: dict[str, Any] = {
    "rule": _("制度编号"),
    "model": _("范本编号"),
    "version": _("版本"),
    "model_version": _("范本版本"),
    "supersedes": _("取代版本"),
    "title": _("标题"),
    "group": _("分组"),
    "adopted": _("通过日期"),
    "repealed_on": _("废止日期"),
    "meeting": _("会议"),
    "item": _("议题"),
    "powers": (_("所涉职权"), "@power/"),
    "categories": (_("适用职权类别"), "powers.category"),
    "status": (_("状态"), "unitrules.model_status"),
    "content": _("内容摘要（SHA-256）"),
    "reason": _("理由"),
}
labels.register_fields(
    {
        f"{event.code}/{key}": spec
        for event in (
            events.RULE_ADOPTED,
            events.RULE_REVISED,
            events.RULE_REPEALED,
            events.MODEL_CREATED,
            events.MODEL_CHANGED,
            events.MODEL_WITHDRAWN,
        )
        for key, spec in FIELDS.items()
    }
)
