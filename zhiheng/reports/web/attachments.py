"""The handlers' downloads of report attachments (R-SUP-3, issue 17): the clean file by GET, the reporter's
original (kept only with consent) by a POST carrying a reason — never a link one could follow by accident or
find in a browser's history. The report comes through selectors.get_report_for (404 alike for none and for
anyone concerned); services.read_attachment checks again and records each reading in the ledger.

Every file leaves as an attachment with nosniff, a sandboxing Content-Security-Policy and no-store: a browser
neither renders it as a page nor keeps a copy."""

from __future__ import annotations

import os
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from zhiheng.accounts.http import PersonRequest

from .. import selectors, services
from ..services.attachments import Opened


class OriginalReasonForm(forms.Form):
    reason = forms.CharField(label=_("查看原始文件的理由（记入账本）"), max_length=500)


def file_response(opened: Opened) -> HttpResponse:
    """The file as an attachment. The ASCII fallback name is neutral; the real one (附件1.jpg, or for an
    original the reporter's file name) goes in filename*, percent-encoded (RFC 6266/5987), so no name can
    break the header."""
    kind = "original" if opened.original else "attachment"
    ext = os.path.splitext(opened.name)[1]
    safe_ext = ext if ext[1:].isascii() and ext[1:].isalnum() and len(ext) <= 6 else ""
    fallback = f"{kind}-{opened.attachment.pk}{safe_ext}"
    response = HttpResponse(opened.data, content_type=opened.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(opened.name, safe='')}"
    )
    response["Content-Length"] = str(len(opened.data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def download(request: PersonRequest, pk: int, aid: int) -> HttpResponse:
    """The clean file (metadata removed, neutral name); the reading is a ledger entry."""
    report = selectors.get_report_for(request.user, pk)
    return file_response(services.read_attachment(by=request.user, report=report, attachment_id=aid))


@login_required
@require_POST
def original(request: PersonRequest, pk: int, aid: int) -> HttpResponse:
    """The reporter's own file and name, for a named handler of the case, with a reason; a ledger entry."""
    report = selectors.get_report_for(request.user, pk)
    form = OriginalReasonForm(request.POST)
    if not form.is_valid():
        from zhiheng.web.htmx import refuse_invalid_form

        return refuse_invalid_form(request, form)
    return file_response(
        services.read_attachment(
            by=request.user,
            report=report,
            attachment_id=aid,
            original=True,
            reason=form.cleaned_data["reason"],
        )
    )
