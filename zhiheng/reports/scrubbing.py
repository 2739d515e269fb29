"""Removing what could identify a reporter from the files they attach (R-SUP-3, issue 17) — pure functions
over bytes, no database. The bar is MAT2's: a handler never receives the reporter's file, only a new file
made from its content.

What a file is comes from its bytes (the `filetype` magic numbers, then the structure of the kind), never
from its name or the type the browser claims. On an allow-list:

- JPEG, PNG, WebP, GIF (one frame): decoded and re-encoded by Pillow from the pixels alone, after the EXIF
  orientation is applied — no EXIF (camera, serial number, author, date, GPS), XMP, IPTC, ICC profile, text
  chunks or comments survive, since nothing but the pixels is written. A GIF becomes a PNG.
- PDF (pypdf): the live objects are rewritten; the document information dictionary (/Info: author,
  creator, producer, dates), the XMP /Metadata streams of the document and its pages, the file identifier
  (/ID), embedded files, JavaScript and automatic actions, and the author (/T) of annotations are removed.
  Earlier revisions kept by incremental saves are not carried over. Encrypted PDFs are refused.
- Office Open XML (docx, xlsx, pptx): rewritten member by member with neutral zip dates: docProps/core.xml
  emptied (creator, last modified by, title, subject, keywords, dates…), docProps/custom.xml dropped,
  Company, Manager and Template dropped from docProps/app.xml, and the names, initials and account ids of
  comment authors and tracked changes blanked (w:author, w:initials, userId…), revision-session ids
  (w:rsid…) dropped. Macros and encrypted members are refused.
- Plain text in UTF-8: re-encoded without a byte-order mark; control characters refused.

Anything else, or a file of an allowed kind that does not parse, is refused (`BadAttachment`, R-SUP-3).
What this does not remove — the content itself, what a photo shows, steganography, a document's wording —
is written in docs/reporting-threat-model.md.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from typing import NamedTuple

import filetype
from django.utils.translation import gettext_lazy as _

from .errors import BadAttachment

MAX_BYTES = 10 * 1024 * 1024  # one file, as received
MAX_FILES_AT_ONCE = 5  # one submission: the report, or one follow-up
MAX_FILES_PER_REPORT = 20  # every attachment of a report, over its life
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded
MAX_UNZIPPED = 100 * 1024 * 1024  # an Office file's members, decompressed
MAX_MEMBERS = 5_000

JPEG, PNG, WEBP, GIF, PDF, TEXT = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "application/pdf",
    "text",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT_PLAIN = "text/plain; charset=utf-8"
OOXML_MAIN = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
EXTENSION = {
    JPEG: ".jpg",
    PNG: ".png",
    WEBP: ".webp",
    PDF: ".pdf",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    TEXT_PLAIN: ".txt",
}
ACCEPTED = "JPEG、PNG、WebP、GIF 图片，PDF，Word、Excel、PowerPoint（docx/xlsx/pptx），UTF-8 文本"
# What a handler reads for a type (the pages show no MIME code).
KIND_LABELS = {
    JPEG: _("图片"),
    PNG: _("图片"),
    WEBP: _("图片"),
    PDF: _("PDF 文档"),
    DOCX: _("Word 文档"),
    XLSX: _("Excel 表格"),
    PPTX: _("演示文稿"),
    TEXT_PLAIN: _("文本"),
}


class Scrubbed(NamedTuple):
    """The file a handler may receive: new bytes, the type they were found to be, its extension."""

    data: bytes
    content_type: str
    extension: str


def refuse(message: str) -> BadAttachment:
    return BadAttachment(message, detail={"fields": {"files": [message]}})


def unsupported() -> BadAttachment:
    return refuse(f"不支持的附件类型（R-SUP-3）：可上传 {ACCEPTED}")


def unreadable() -> BadAttachment:
    return refuse("附件无法解析，可能已损坏（R-SUP-3），未提交")


def scrub(data: bytes, filename: str = "") -> Scrubbed:
    """The file `data` without what identifies its author, or BadAttachment. `filename` is the reporter's
    name for the file: it decides nothing (the bytes do) and is not kept."""
    if not data:
        raise refuse("附件是空文件（R-SUP-3）")
    if len(data) > MAX_BYTES:
        raise refuse(f"附件超过 {MAX_BYTES // (1024 * 1024)} MB（R-SUP-3）")
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else None
    if mime in (JPEG, PNG, WEBP, GIF):
        return _image(data, mime)
    if mime == PDF and data.startswith(b"%PDF-"):
        return _pdf(data)
    if mime in (DOCX, XLSX, PPTX, "application/zip"):
        return _ooxml(data)
    if mime is None:
        return _text(data)
    raise unsupported()


# ------------------------------------------------------------------------------------------------ images


def _image(data: bytes, mime: str) -> Scrubbed:
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise refuse("图片像素过多（R-SUP-3），请缩小后再上传")
                if getattr(opened, "n_frames", 1) > 1:
                    raise refuse("不支持动图（R-SUP-3），请截取一帧后上传")
                opened.load()
                upright = ImageOps.exif_transpose(opened)
    except BadAttachment:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise unreadable() from exc
    target = PNG if mime == GIF else mime
    if target == JPEG:
        pixels = upright.convert("RGB") if upright.mode not in ("RGB", "L") else upright
    elif upright.mode in ("RGB", "RGBA", "L", "LA"):
        pixels = upright
    else:  # palette, CMYK, 16-bit…: as colour with transparency
        pixels = upright.convert("RGBA")
    # A new image from the pixels alone: no `info` (EXIF, XMP, ICC, comments, text chunks) is carried over.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if target == JPEG:
        clean.save(out, "JPEG", quality=92, optimize=True)
    elif target == WEBP:
        clean.save(out, "WEBP", quality=92)
    else:
        clean.save(out, "PNG", optimize=True)
    return Scrubbed(out.getvalue(), target, EXTENSION[target])


# --------------------------------------------------------------------------------------------------- PDF


def _pdf(data: bytes) -> Scrubbed:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise refuse("加密的 PDF 无法清除元数据（R-SUP-3），请解除密码后上传")
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None  # the /Info dictionary
        root = writer._root_object
        for key in ("/Metadata", "/OpenAction", "/AA", "/PieceInfo", "/SpiderInfo", "/Perms"):
            root.pop(NameObject(key), None)
        names = root.get("/Names")
        if names is not None:
            names = names.get_object()
            if isinstance(names, DictionaryObject):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    names.pop(NameObject(key), None)
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo", "/AA"):
                page.pop(NameObject(key), None)
            annotations = page.get("/Annots")
            if annotations is None:
                continue
            kept = ArrayObject()
            for ref in annotations.get_object():
                annotation = ref.get_object()
                if not isinstance(annotation, DictionaryObject):
                    continue
                if annotation.get("/Subtype") == "/FileAttachment":
                    continue
                for key in ("/T", "/M", "/CreationDate", "/Metadata", "/NM"):
                    annotation.pop(NameObject(key), None)
                kept.append(ref)
            page[NameObject("/Annots")] = kept
        writer._ID = None  # a new identifier: the original's links the copy to the reporter's file
        out = io.BytesIO()
        writer.write(out)
    except BadAttachment:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise unreadable() from exc
    return Scrubbed(out.getvalue(), PDF, EXTENSION[PDF])


# ---------------------------------------------------------------------------------------- Office Open XML

EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
DROPPED = re.compile(r"^(docProps/custom\.xml|docProps/thumbnail\.[a-z]+)$", re.IGNORECASE)
# Attributes naming a person or their account, in any namespace prefix: blanked (Word requires w:author
# on tracked changes, so the attribute stays with an empty value).
PERSON_ATTRS = re.compile(
    rb"""(\s(?:[\w.-]+:)?(?:author|initials|userId|providerId|displayName|lastModifiedBy))=("[^"]*"|'[^']*')"""
)
# Revision-session ids link documents edited in one session; the dates of comments and tracked changes say
# when the reporter edited. Both are optional attributes: dropped.
RSID_ATTRS = re.compile(rb"""\s(?:(?:[\w.-]+:)?rsid\w*|w:date)=("[^"]*"|'[^']*')""")
AUTHOR_ELEMENTS = re.compile(rb"(<(?:[\w.-]+:)?author>)[^<]*(</(?:[\w.-]+:)?author>)")  # xl/comments*.xml
APP_DROPPED = re.compile(
    rb"<(Company|Manager|Template|HyperlinkBase)>[^<]*</\1>|<(Company|Manager|Template|HyperlinkBase)/>"
)
PPT_AUTHOR_NAME = re.compile(rb"""(<(?:[\w.-]+:)?cmAuthor\b[^>]*?\sname)=("[^"]*"|'[^']*')""")
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def _ooxml(data: bytes) -> Scrubbed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unsupported() from exc
    names = {m.filename for m in members}
    found = [kind for main, kind in OOXML_MAIN.items() if main in names]
    if "[Content_Types].xml" not in names or len(found) != 1:
        raise unsupported()
    kind = found[0]
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
        raise refuse("Office 文件解压后过大（R-SUP-3）")
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise refuse("含宏的 Office 文件不能上传（R-SUP-3）")
    if any(m.flag_bits & 0x1 for m in members):
        raise refuse("加密的 Office 文件无法清除元数据（R-SUP-3），请解除密码后上传")
    dropped = {m.filename for m in members if DROPPED.match(m.filename)}
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
            for member in members:
                if member.filename in dropped or member.is_dir():
                    continue
                body = archive.read(member)
                if member.filename.lower().endswith((".xml", ".rels")):
                    body = _clean_part(member.filename, body, dropped)
                info = zipfile.ZipInfo(member.filename, date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                clean.writestr(info, body)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise unreadable() from exc
    return Scrubbed(out.getvalue(), kind, EXTENSION[kind])


def _clean_part(name: str, body: bytes, dropped: set[str]) -> bytes:
    if name == "docProps/core.xml":
        return EMPTY_CORE
    if name == "docProps/app.xml":
        return APP_DROPPED.sub(b"", body)
    if name in ("[Content_Types].xml", "_rels/.rels"):
        for gone in dropped:  # the package must not point at a part that is no longer there
            target = re.escape(gone.encode())
            body = re.sub(rb"<Override[^>]*PartName=\"/" + target + rb"\"[^>]*/>", b"", body)
            body = re.sub(rb"<Relationship[^>]*Target=\"/?" + target + rb"\"[^>]*/>", b"", body)
        return body
    steps: list[Callable[[bytes], bytes]] = [
        lambda b: PERSON_ATTRS.sub(rb'\1=""', b),
        lambda b: RSID_ATTRS.sub(b"", b),
        lambda b: AUTHOR_ELEMENTS.sub(rb"\1\2", b),
        lambda b: PPT_AUTHOR_NAME.sub(rb'\1=""', b),
    ]
    for step in steps:
        body = step(body)
    return body


# -------------------------------------------------------------------------------------------------- text


def _text(data: bytes) -> Scrubbed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(f"不支持的附件类型（R-SUP-3）：文本须为 UTF-8 编码；可上传 {ACCEPTED}") from exc
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        raise unsupported()
    return Scrubbed(text.encode("utf-8"), TEXT_PLAIN, EXTENSION[TEXT_PLAIN])
