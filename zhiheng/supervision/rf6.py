"""RF6 (SPEC §10, late duties) as the monthly report raises it: a report not acknowledged by its whole team
by its due date. Pure: the words of the warning; the check itself is services.overdue."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

RULE = "RF6"
TITLE = _("迟延履职（分工方案逾期未报、月度财务明细逾期未确认）")


def source(unit_code: str, month_code: str) -> str:
    """One warning per report: the scan's source names the report it judged."""
    return f"scan:rf6:monthly:{unit_code}:{month_code}"


def explanation(unit_name: str, month_label: str, due: str, missing: Sequence[str]) -> str:
    """In Chinese, naming who did not acknowledge."""
    return (
        f"{unit_name}{month_label}财务明细汇报确认期限为 {due}，逾期仍未确认："
        f"{'、'.join(missing)}（共 {len(missing)} 人）。"
    )
