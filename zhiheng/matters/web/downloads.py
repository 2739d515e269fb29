"""The HTTP answer carrying an evidence file, for the API and the matter page alike (issue 10 finding 7).

MEDIA_ROOT is never served directly: a file leaves only through an authorised view (selectors.
get_evidence_for), always as an attachment, with nosniff, the content type its bytes were found to be,
and a sandboxing Content-Security-Policy should a browser render it anyway. The file itself is streamed
by Django, or — ZHIHENG_SENDFILE — handed to the front proxy after the check:
  "nginx"   X-Accel-Redirect: <ZHIHENG_SENDFILE_NGINX_PREFIX><path under MEDIA_ROOT>, to an `internal` location;
  "apache"  X-Sendfile: <absolute path> (mod_xsendfile).
"""

from __future__ import annotations

import os
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse

from ..models import Evidence


def content_disposition(item: Evidence) -> str:
    """attachment with an ASCII fallback name and the real one per RFC 6266/5987 (filename*)."""
    ext = os.path.splitext(item.name)[1].lower()
    fallback = f"evidence-{item.pk}{ext if ext.isascii() else ''}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(item.name, safe='')}"


def file_response(item: Evidence) -> HttpResponse | FileResponse:
    mode = getattr(settings, "SENDFILE", "")
    response: HttpResponse | FileResponse
    if mode == "nginx":
        response = HttpResponse(b"", content_type=item.content_type)
        prefix = settings.SENDFILE_NGINX_PREFIX.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(item.file.name)
    elif mode == "apache":
        response = HttpResponse(b"", content_type=item.content_type)
        response["X-Sendfile"] = item.file.path
    else:
        response = FileResponse(item.file.open("rb"), content_type=item.content_type)
        response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = content_disposition(item)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
