"""{% attachments_of report as files %}: a report's attachments to list on the handler's page, without loading
or opening anything sealed (services.attachments.attachments_of); `content_type|attachment_kind` names the
type in Chinese."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from .. import scrubbing
from ..models import Report, ReportAttachment
from ..services.attachments import attachments_of as listing

register = template.Library()


@register.simple_tag
def attachments_of(report: Report) -> QuerySet[ReportAttachment]:
    return listing(report)


@register.filter
def attachment_kind(content_type: str) -> str:
    """图片, PDF 文档, Word 文档… for a stored content type."""
    return str(scrubbing.KIND_LABELS.get(content_type, content_type))
