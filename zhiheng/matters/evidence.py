"""Evidence files of a matter (R-MAT-1): stored under MEDIA_ROOT, size and type checked here."""

from __future__ import annotations

import hashlib
import os

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Forbidden, Invalid

from . import rules
from .models import Evidence, Matter
from .services import _locked

MAX_BYTES = 10 * 1024 * 1024
# Extension → the content types accepted with it (the browser's claim is checked against the name).
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/octet-stream",
    },
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
    },
    ".txt": {"text/plain"},
}
MAGIC = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8",
    ".jpeg": b"\xff\xd8",
    ".docx": b"PK",
    ".xlsx": b"PK",
}


@transaction.atomic
def add_evidence(*, matter: Matter, by: Person, upload) -> Evidence:
    matter = _locked(matter)
    if not rules.can_add_evidence(by, matter):
        raise Forbidden("R-MAT-1", "只有提交人或分管副职可以在办结前上传佐证材料", {"matter": matter.pk})
    name = os.path.basename(upload.name or "")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise Invalid(
            "validation", "不支持的文件类型（可上传 PDF、图片、Word、Excel、文本）", {"file": ext or name}
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type and content_type not in ALLOWED[ext]:
        raise Invalid("validation", "文件类型与扩展名不符", {"file": content_type})
    if upload.size > MAX_BYTES or upload.size == 0:
        raise Invalid("validation", "文件大小须在 1 字节到 10 MB 之间", {"file": upload.size})
    data = upload.read()
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise Invalid("validation", "文件内容与类型不符", {"file": ext})
    upload.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    item = Evidence(
        matter=matter,
        name=name,
        size=len(data),
        content_type=content_type or next(iter(ALLOWED[ext])),
        sha256=digest,
        uploaded_by=by,
    )
    item.file.save(f"{digest[:16]}{ext}", upload, save=False)
    item.save()
    ledger.record(
        "matter.evidence_added",
        by=by,
        unit=matter.unit.code,
        subject=matter.subject,
        payload={"name": name, "size": len(data), "sha256": digest},
    )
    return item
