"""Evidence files of a matter (R-MAT-1): stored under MEDIA_ROOT, checked here by what their bytes are.

A file's name only says what it claims to be; its bytes must prove it (issue 10 finding 7). Each
accepted extension has a check of its actual content — the magic numbers (the `filetype` package, pure
Python) and the structure a real file of that kind has — and obvious HTML polyglots are refused, though
files are only ever served as attachments with nosniff (web/downloads.py). The content type stored, and
served, is the one found, not the one the browser claimed.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Invalid

from .. import rules
from ..models import Evidence, Matter
from .handover import locked

MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Extension → the content types a browser may claim for it (a claim for another type is refused).
ALLOWED = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".docx": {DOCX, "application/octet-stream"},
    ".xlsx": {XLSX, "application/octet-stream"},
    ".txt": {"text/plain"},
}
# Extension → the type its bytes must be (filetype's magic numbers) and the zip folder of an OOXML file.
BINARY = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": DOCX,
    ".xlsx": XLSX,
}
OOXML_PART = {".docx": "word/", ".xlsx": "xl/"}
# What makes a browser that sniffs treat bytes as a page: refused at the head of any file, anywhere in text.
HTML_MARKERS = (b"<html", b"<script", b"<!doctype html", b"<body", b"<iframe", b"<svg", b"<object", b"<embed")
SNIFFED_HEAD = 1024


def _refuse(message: str, ext: str) -> Invalid:
    return Invalid("validation", message, {"file": ext})


def _has_html(data: bytes) -> bool:
    lowered = data.lower()
    return any(marker in lowered for marker in HTML_MARKERS)


def content_type_of(ext: str, data: bytes) -> str:
    """The content type `data` actually is, if it is a genuine file of extension `ext`; Invalid if not."""
    if _has_html(data[:SNIFFED_HEAD]):
        raise _refuse("文件含有网页代码，不能作为佐证材料上传", ext)
    kind = filetype.guess(data)
    if ext == ".txt":
        if kind is not None:
            raise _refuse("文件内容与类型不符（不是文本文件）", ext)
        return _text_type(data, ext)
    expected = BINARY[ext]
    if kind is None or kind.mime != expected:
        raise _refuse("文件内容与类型不符", ext)
    if ext == ".pdf" and not data.startswith(b"%PDF-"):
        raise _refuse("文件内容与类型不符", ext)
    if ext in OOXML_PART:
        _check_ooxml(data, ext)
    return expected


def _text_type(data: bytes, ext: str) -> str:
    for encoding, charset in (("utf-8-sig", "utf-8"), ("gb18030", "gb18030")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text):
            raise _refuse("文本文件含有控制字符或二进制内容", ext)
        if _has_html(text.encode("utf-8")):
            raise _refuse("文件含有网页代码，不能作为佐证材料上传", ext)
        return f"text/plain; charset={charset}"
    raise _refuse("文本文件须为 UTF-8 或 GB18030 编码", ext)


def _check_ooxml(data: bytes, ext: str) -> None:
    """A Word/Excel file is a zip with [Content_Types].xml and its own part folder, and no macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()  # the central directory only: nothing is decompressed
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse("文件内容与类型不符（不是有效的 Office 文件）", ext) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith(OOXML_PART[ext]) for n in names):
        raise _refuse("文件内容与类型不符（不是有效的 Office 文件）", ext)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse("含宏的 Office 文件不能上传", ext)


@transaction.atomic
def add_evidence(*, matter: Matter, by: Person, upload: UploadedFile) -> Evidence:
    """R-MAT-1: the submitter or the deputy adds a file, accepted only for what its bytes are."""
    matter = locked(matter)
    rules.ensure_add_evidence(by, matter)
    name = os.path.basename(upload.name or "")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise Invalid(
            "validation", "不支持的文件类型（可上传 PDF、图片、Word、Excel、文本）", {"file": ext or name}
        )
    claimed = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if claimed and claimed not in ALLOWED[ext]:
        raise Invalid("validation", "文件类型与扩展名不符", {"file": claimed})
    if not upload.size or upload.size > MAX_BYTES:
        raise Invalid("validation", "文件大小须在 1 字节到 10 MB 之间", {"file": upload.size})
    data = upload.read()
    content_type = content_type_of(ext, data)
    upload.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    item = Evidence(
        matter=matter,
        name=name,
        size=len(data),
        content_type=content_type,
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
