"""The reporting channel's codes in Chinese (zhiheng.web.labels): channels, statuses, outcomes, authors, the
references `report:<id>` / `report-case:<id>` and the ledger payload keys."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiheng.web import labels

from .states import Author, CaseStatus, Channel, Outcome, ReportStatus

labels.register_each(
    "reports", channel=Channel, status=ReportStatus, case_status=CaseStatus, outcome=Outcome, author=Author
)
labels.register_subject("report", _("举报"))
labels.register_subject("report-case", _("举报案件"))
labels.register_fields(
    {
        "report": (_("举报"), "@"),
        "report_channel": (_("举报渠道"), "reports.channel"),
        "report_status": (_("举报状态"), "reports.status"),
        "report_message": _("消息编号"),
        "report_case": _("案件编号"),
        "reports": _("举报编号"),
        "handlers": (_("承办人"), "@person"),
        "case_outcome": (_("办理结果"), "reports.outcome"),
        "case_deadline": _("办理期限"),
        "case_deadline_before": _("原办理期限"),
        "values": _("重新加密的项数"),
        "report_attachment": _("附件编号"),
        "report_attachments": _("附件编号"),
        "reason_given": _("已写明理由"),
    }
)
