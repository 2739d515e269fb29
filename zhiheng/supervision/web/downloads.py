"""A report as a file (Excel or PDF), for the API and the report page alike: always its frozen copy, named
in Chinese (RFC 5987 filename*) with an ASCII fallback."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from .. import documents
from ..models import MonthlyReport

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", documents.report_xlsx),
    "pdf": ("application/pdf", documents.report_pdf),
}


def report_file(report: MonthlyReport, fmt: str) -> HttpResponse:
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(report.frozen), content_type=content_type)
    fallback = f"monthly-report-{report.unit.code}-{report.month_code}.{fmt}"
    name = documents.filename(report.frozen, fmt)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
