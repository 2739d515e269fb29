"""The reporting channel's time limits as a parameter set "reports" (decision 0011), set by the district's
commission admins (R-SUP-3), each change a "reports.rules_set" ledger entry:

- `triage_days` — a report received must be triaged (joined to a case) within this many days (default 15,
  as 《信访工作条例》 gives an office fifteen days to say whether it takes a matter up);
- `case_days` — a case's deadline when its opener sets none (default 60, that regulation's limit for
  handling a matter taken up);
- `due_soon_days` — how near a deadline counts as "due soon" on the 工作台 (default 7).

Reports are the district's (no unit sees them), so only the district default matters here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiheng.parameters import ParameterSet, register, typed

NAMESPACE = "reports"
FIELDS: dict[str, tuple[Any, str, float, float]] = {
    "triage_days": (_("举报分办期限（天）"), "int", 1, 90),
    "case_days": (_("举报案件默认办理期限（天）"), "int", 1, 365),
    "due_soon_days": (_("临近期限提醒（天）"), "int", 1, 60),
}
DEFAULTS: dict[str, Any] = {"triage_days": 15, "case_days": 60, "due_soon_days": 7}

REPORTS_RULES = register(
    ParameterSet(
        namespace=NAMESPACE,
        title=_("信访举报办理期限"),
        rule="R-SUP-3",
        action="设置信访举报办理期限",
        event="reports.rules_set",  # events.RULES_SET
        subject="reports-rules",
        labels=typed.labels_of(FIELDS),
        defaults=DEFAULTS,
        clean=typed.cleaner(FIELDS, "信访举报办理期限填写有误"),
    )
)
