"""Evidence files (issue 10 finding 7): checked by what their bytes are, downloaded only through the app
by people who may see the matter, always as an attachment with nosniff."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhiheng.matters.models import Evidence, Matter
from zhiheng.matters.tests.conftest import bearer_client, small_matter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "发票金额"
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SENDFILE = ""
    return tmp_path


@pytest.fixture
def matter(mw) -> Matter:
    return small_matter(mw)


def _upload(client: Client, matter: Matter, name: str, data: bytes, content_type: str):
    return client.post(
        f"/api/v1/matters/{matter.pk}/evidence",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def _uploaded_pdf(mw, matter: Matter, name: str = "发票.pdf") -> dict:
    """`staff` uploads a PDF as the matter's evidence: the item the API answers with."""
    return _upload(bearer_client(mw.staff), matter, name, PDF, "application/pdf").json()["evidence"][0]


REFUSED = [
    pytest.param(
        "说明.txt",
        b"<html><body><script>alert(document.cookie)</script></body></html>",
        "text/plain",
        id="txt-html",
    ),
    pytest.param("说明.txt", "付款说明\n<SCRIPT src=//x></SCRIPT>".encode(), "text/plain", id="txt-script"),
    pytest.param(
        "发票.pdf",
        b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF",
        "application/pdf",
        id="pdf-html-polyglot",
    ),
    pytest.param(
        "发票.pdf",
        b"%PDF-1.4\n" + b" " * 200 + b"<!DOCTYPE html><p>x",
        "application/pdf",
        id="pdf-doctype-polyglot",
    ),
    pytest.param("合同.docx", _zip("a.txt", "b.html"), DOCX, id="zip-as-docx"),  # any zip named .docx
    pytest.param(
        "合同.docx", _zip("[Content_Types].xml", "xl/workbook.xml"), DOCX, id="xlsx-as-docx"
    ),  # a workbook named .docx
    pytest.param(
        "合同.docx",
        _zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"),
        DOCX,
        id="docx-macros",
    ),  # macros
    pytest.param("台账.xlsx", _zip("[Content_Types].xml", "word/document.xml"), XLSX, id="docx-as-xlsx"),
    pytest.param("台账.xlsx", b"PK\x03\x04 not really a zip", XLSX, id="broken-zip-xlsx"),
    pytest.param(
        "照片.jpg", JPEG + b"<script>alert(1)</script>", "image/jpeg", id="jpeg-html-polyglot"
    ),  # an image/HTML polyglot
    pytest.param("照片.png", JPEG, "image/png", id="jpeg-as-png"),  # a JPEG named .png
    pytest.param(
        "说明.txt", _zip("[Content_Types].xml", "word/document.xml"), "text/plain", id="zip-as-txt"
    ),  # a zip named .txt
    pytest.param(
        "说明.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "text/plain", id="elf-as-txt"
    ),  # a program named .txt
    pytest.param(
        "说明.txt", b"\xff\xfe\x41\x00\x42\x00", "text/plain", id="utf16-txt"
    ),  # neither UTF-8 nor GB18030
]


@pytest.mark.parametrize(("name", "data", "claimed"), REFUSED)
def test_a_file_whose_bytes_are_not_what_its_name_says_is_refused(mw, media, matter, name, data, claimed):
    r = _upload(bearer_client(mw.staff), matter, name, data, claimed)
    assert r.status_code == 422, r.content
    assert r.json()["error"]["rule"] == "validation"
    assert not Evidence.objects.filter(matter=matter).exists()


ACCEPTED = [
    pytest.param("发票.pdf", PDF, "application/pdf", "application/pdf", id="pdf"),
    pytest.param("照片.png", PNG, "image/png", "image/png", id="png"),
    pytest.param("照片.jpeg", JPEG, "image/jpeg", "image/jpeg", id="jpeg"),
    pytest.param(
        "合同.docx", _zip("[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX, DOCX, id="docx"
    ),
    pytest.param("台账.xlsx", _xlsx(), "application/octet-stream", XLSX, id="xlsx"),
    pytest.param(
        "说明.txt",
        "付款说明：打印纸 100 元。\n".encode(),
        "text/plain",
        "text/plain; charset=utf-8",
        id="txt-utf8",
    ),
    pytest.param(
        "说明.txt",
        "付款说明：打印纸 100 元。\r\n".encode("gb18030"),
        "text/plain",
        "text/plain; charset=gb18030",
        id="txt-gb18030",
    ),
]


@pytest.mark.parametrize(("name", "data", "claimed", "stored"), ACCEPTED)
def test_a_genuine_file_is_kept_with_the_type_its_bytes_are(mw, media, matter, name, data, claimed, stored):
    r = _upload(bearer_client(mw.staff), matter, name, data, claimed)
    assert r.status_code == 201, r.content
    (item,) = r.json()["evidence"]
    assert item["content_type"] == stored
    assert item["download"] == f"/api/v1/matters/{matter.pk}/evidence/{item['id']}"


def test_the_download_is_an_attachment_with_nosniff_for_whoever_may_see_the_matter(mw, media, matter):
    item = _uploaded_pdf(mw, matter, "发票 2026.pdf")
    r = bearer_client(mw.deputy).get(item["download"])
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Length"] == str(len(PDF))
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"] == (
        f"attachment; filename=\"evidence-{item['id']}.pdf\"; filename*=UTF-8''{quote('发票 2026.pdf', safe='')}"
    )
    assert "sandbox" in r["Content-Security-Policy"]
    assert "no-store" in r["Cache-Control"]


def test_the_download_is_404_alike_for_outsiders_unknown_files_and_other_matters(mw, media, matter):
    item = _uploaded_pdf(mw, matter)
    other = small_matter(mw, title="另一事项", amount="50.00")
    outsider = bearer_client(mw.outsider)
    for client, path in [
        (outsider, item["download"]),
        (bearer_client(mw.other_principal), item["download"]),
        (bearer_client(mw.deputy), f"/api/v1/matters/{matter.pk}/evidence/{item['id'] + 1000}"),
        (
            bearer_client(mw.deputy),
            f"/api/v1/matters/{other.pk}/evidence/{item['id']}",
        ),  # through a matter it is not of
    ]:
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["rule"] == "not-found", path
    assert Client().get(item["download"]).status_code == 401


def test_a_front_proxy_can_send_the_file_after_the_check(mw, media, matter, settings):
    item = _uploaded_pdf(mw, matter)
    stored = Evidence.objects.get(pk=item["id"]).file
    settings.SENDFILE = "nginx"
    r = bearer_client(mw.deputy).get(item["download"])
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == f"/protected-media/{stored.name}"
    assert r["Content-Disposition"].startswith("attachment;") and r["X-Content-Type-Options"] == "nosniff"
    settings.SENDFILE = "apache"
    r = bearer_client(mw.deputy).get(item["download"])
    assert r.status_code == 200 and r["X-Sendfile"] == stored.path
    assert bearer_client(mw.outsider).get(item["download"]).status_code == 404  # the proxy is never told


def test_the_matter_page_links_to_the_authorised_download_and_media_is_not_served(mw, media, matter, client):
    item = _uploaded_pdf(mw, matter)
    stored = Evidence.objects.get(pk=item["id"]).file
    client.force_login(mw.deputy)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    link = f"/matters/{matter.pk}/evidence/{item['id']}/"
    assert f'href="{link}"' in page and "/media/" not in page
    r = client.get(link)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Disposition"].startswith("attachment;") and r["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/media/{stored.name}").status_code == 404
    client.force_login(mw.outsider)
    assert client.get(link).status_code == 404
