"""{% attachments_of report as files %}: a report's attachments to list on the handler's page, without loading
or opening anything sealed (services.attachments.attachments_of)."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from ..models import Report, ReportAttachment
from ..services.attachments import attachments_of as listing

register = template.Library()


@register.simple_tag
def attachments_of(report: Report) -> QuerySet[ReportAttachment]:
    return listing(report)
