"""R-SUP-3, issue 17: attachments reach handlers without what could identify the reporter (EXIF, GPS, author,
the file's name), are sealed at rest, the original is kept only with consent and opened by a named handler
with a reason; every reading is a ledger entry; nobody concerned reaches them; the public form takes files
without JavaScript or a cookie; a key rotation re-seals them."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader, PdfWriter

from zhiheng.core.errors import DomainError, NotFound
from zhiheng.core.tests.dumps import database_dump
from zhiheng.ledger.models import Entry
from zhiheng.reports import scrubbing, sealing, selectors, services
from zhiheng.reports.models import Report, ReportAttachment
from zhiheng.reports.services import Upload

from .test_services import _payload

ARTIST = "Zhang Photographer"
AUTHOR = "Wang Author"
CREATOR = "赵六作者"
COMPANY = "城南建设局办公室"
FILENAME = "钱举报人的手机照片_IMG_0042.jpg"
GPS_LATITUDE = (30.0, 40.0, 50.0)


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = image.getexif()
    exif[0x013B] = ARTIST  # Artist
    exif[0x0112] = 6  # orientation: rotate 90°
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (120.0, 10.0, 5.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Word 2019", "/Title": "内部材料"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_with_creator() -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
        'main+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.custom-properties+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
        'Target="docProps/custom.xml"/></Relationships>'
    )
    core = (
        '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{CREATOR}</dc:creator><cp:lastModifiedBy>{CREATOR}</cp:lastModifiedBy></cp:coreProperties>"
    )
    document = (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        'main"><w:body><w:p w:rsidR="00AB12CD"><w:ins w:id="1" w:author="'
        f'{CREATOR}" w:date="2026-03-01T09:00:00Z"><w:r><w:t>转账记录</w:t></w:r></w:ins></w:p></w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("docProps/app.xml", f"<Properties><Company>{COMPANY}</Company></Properties>")
        archive.writestr("docProps/custom.xml", "<Properties><property>内部编号 7</property></Properties>")
    return out.getvalue()


# ------------------------------------------------------------------------------------ scrubbing (pure)


def test_a_photo_loses_its_exif_gps_artist_and_comment_and_stays_upright():
    original = jpeg_with_gps()
    assert ARTIST.encode() in original
    clean = scrubbing.scrub(original, FILENAME)
    assert (clean.content_type, clean.extension) == ("image/jpeg", ".jpg")
    image = Image.open(io.BytesIO(clean.data))
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(0x8825)
    assert "exif" not in image.info and "comment" not in image.info and "icc_profile" not in image.info
    assert ARTIST.encode() not in clean.data and b"secret comment" not in clean.data
    assert image.size == (48, 64)  # the orientation was applied, then dropped


def test_a_png_loses_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", AUTHOR)
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "PNG", pnginfo=info)
    clean = scrubbing.scrub(out.getvalue())
    assert clean.content_type == "image/png" and AUTHOR.encode() not in clean.data
    assert Image.open(io.BytesIO(clean.data)).info.get("Author") is None


def test_a_pdf_loses_its_author_and_xmp_and_keeps_its_pages():
    clean = scrubbing.scrub(pdf_with_author(), "材料.pdf")
    reader = PdfReader(io.BytesIO(clean.data))
    assert clean.content_type == "application/pdf" and len(reader.pages) == 1
    assert not reader.metadata or "/Author" not in reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    assert AUTHOR.encode() not in clean.data


def test_a_docx_loses_its_creator_company_custom_properties_and_revision_authors():
    clean = scrubbing.scrub(docx_with_creator(), "举报材料.docx")
    assert clean.extension == ".docx"
    archive = zipfile.ZipFile(io.BytesIO(clean.data))
    assert "docProps/custom.xml" not in archive.namelist()
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (CREATOR, COMPANY, "内部编号", "00AB12CD", "2026-03-01"):
        assert secret.encode() not in everything, secret
    assert b"custom.xml" not in archive.read("[Content_Types].xml") + archive.read("_rels/.rels")
    assert "转账记录".encode() in archive.read("word/document.xml")  # the content stays
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_webp_and_gif_are_rebuilt_and_animations_and_pixel_bombs_refused(monkeypatch):
    exif = Image.Exif()
    exif[0x013B] = ARTIST
    webp = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 90, 0)).save(webp, "WEBP", exif=exif)
    clean = scrubbing.scrub(webp.getvalue())
    assert clean.content_type == "image/webp" and ARTIST.encode() not in clean.data
    assert len(Image.open(io.BytesIO(clean.data)).getexif()) == 0
    gif = io.BytesIO()
    Image.new("P", (16, 16)).save(gif, "GIF", comment=b"made by " + ARTIST.encode())
    clean = scrubbing.scrub(gif.getvalue())
    assert (clean.content_type, clean.extension) == (
        "image/png",
        ".png",
    ) and ARTIST.encode() not in clean.data
    frames = [Image.new("RGB", (8, 8), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    animated = io.BytesIO()
    frames[0].save(animated, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(DomainError, match="动图"):
        scrubbing.scrub(animated.getvalue())
    monkeypatch.setattr(scrubbing, "MAX_PIXELS", 100)
    with pytest.raises(DomainError, match="像素"):
        scrubbing.scrub(jpeg_with_gps())


def test_an_xlsx_loses_its_comment_authors_and_a_macro_file_is_refused():
    comments = (
        '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>'
        f"<author>{CREATOR}</author></authors><commentList/></comments>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/comments1.xml", comments)
        archive.writestr(
            "docProps/core.xml", f"<cp:coreProperties><dc:creator>{CREATOR}</dc:creator></cp:coreProperties>"
        )
    clean = scrubbing.scrub(out.getvalue())
    assert clean.extension == ".xlsx" and CREATOR.encode() not in clean.data
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(DomainError, match="宏"):
        scrubbing.scrub(out.getvalue())


def test_text_must_be_utf8_and_other_kinds_are_refused_citing_the_rule():
    assert scrubbing.scrub("转账记录\n".encode("utf-8-sig")).data == "转账记录\n".encode()
    for data in (
        "转账记录".encode("gb18030"),
        b"MZ\x90\x00" + bytes(200),  # a Windows program
        b"\x1f\x8b\x08\x00" + bytes(50),  # gzip
        b"%PDF-1.4 not really",
        b"",
    ):
        with pytest.raises(DomainError) as refused:
            scrubbing.scrub(data, "x")
        assert refused.value.rule == "R-SUP-3" and refused.value.status == 422
        assert "R-SUP-3" in refused.value.message


def test_the_size_limit():
    with pytest.raises(DomainError, match="MB"):
        scrubbing.scrub(b"a" * (scrubbing.MAX_BYTES + 1))


# ------------------------------------------------------------------------------------------- services


@pytest.fixture
def reported(world):
    world.given = services.receive(
        by=None,
        channel="web",
        subject="工程回扣",
        body="局长收受回扣",
        unit=world.unit.code,
        person=world.principal.username,
        files=[Upload(jpeg_with_gps(), FILENAME), Upload(pdf_with_author(), "会计凭证.pdf")],
        keep_originals=True,
    )
    world.report = world.given.report
    return world


def test_attachments_are_sealed_with_neutral_names_and_the_dump_holds_nothing_of_them(reported):
    services.receive(
        by=None,
        channel="web",
        subject="另一件",
        body="内容",
        unit=reported.unit.code,
        files=[Upload(docx_with_creator(), "我的材料-钱某.docx")],
    )
    rows = list(ReportAttachment.objects.filter(report=reported.report))
    assert [(a.name, a.content_type, a.author, a.added_by) for a in rows] == [
        ("附件1.jpg", "image/jpeg", "reporter", None),
        ("附件2.pdf", "application/pdf", "reporter", None),
    ]
    assert all(a.consent and a.has_original and a.size > 0 for a in rows)
    dump = database_dump()
    hexdump = dump.lower()  # blobs appear as hex: X'FFD8…' (SQLite), \xffd8… (PostgreSQL)
    for secret in (ARTIST, AUTHOR, CREATOR, COMPANY, FILENAME, "会计凭证", "我的材料-钱某", "secret comment"):
        assert secret not in dump and secret.encode().hex() not in hexdump, secret
    clean = sealing.unseal_bytes(rows[0].sealed_clean)
    assert clean[:3] == b"\xff\xd8\xff"
    for blob in (clean, jpeg_with_gps(), pdf_with_author()):
        assert blob.hex() not in hexdump and blob[40:100].hex() not in hexdump
    ledger_text = json.dumps([_payload(e) for e in Entry.objects.all()], ensure_ascii=False)
    for secret in (FILENAME, "附件1", "image/jpeg", "会计凭证"):
        assert secret not in ledger_text


def test_the_original_is_kept_only_with_consent(world):
    given = services.receive(
        by=None,
        channel="web",
        subject="不保留",
        body="内容",
        unit=world.unit.code,
        files=[Upload(jpeg_with_gps(), FILENAME)],
    )
    attachment = ReportAttachment.objects.get(report=given.report)
    assert attachment.consent is False and attachment.sealed_original is None
    services.open_case(by=world.admin, reports=[given.report], handlers=[world.admin])
    with pytest.raises(NotFound):
        services.read_attachment(
            by=world.admin,
            report=given.report,
            attachment_id=attachment.pk,
            original=True,
            reason="核实拍摄地点",
        )


def test_a_refused_file_refuses_the_report_and_nothing_is_stored(world):
    reports, entries = Report.objects.count(), Entry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.receive(
            by=None,
            channel="web",
            subject="带附件",
            body="内容",
            unit=world.unit.code,
            files=[Upload(jpeg_with_gps(), "a.jpg"), Upload(b"MZ\x90\x00" + bytes(100), "tool.exe")],
        )
    assert refused.value.status == 422 and refused.value.rule == "R-SUP-3"
    assert "第 2 个附件" in refused.value.detail["fields"]["files"][0]
    assert Report.objects.count() == reports and Entry.objects.count() == entries
    assert not ReportAttachment.objects.exists()


def test_the_count_limits(reported, monkeypatch):
    too_many = [Upload(b"text %d" % n, "a.txt") for n in range(scrubbing.MAX_FILES_AT_ONCE + 1)]
    with pytest.raises(DomainError, match="一次至多"):
        services.receive(
            by=None, channel="web", subject="多", body="多", unit=reported.unit.code, files=too_many
        )
    monkeypatch.setattr(scrubbing, "MAX_FILES_PER_REPORT", 3)
    services.write_as_reporter(report=reported.report, body="", files=[Upload(b"third", "c.txt")])
    with pytest.raises(DomainError, match="每件举报至多"):
        services.write_as_reporter(report=reported.report, body="再补充", files=[Upload(b"fourth", "d.txt")])
    assert reported.report.attachments.count() == 3
    assert reported.report.messages.count() == 0  # the refused follow-up wrote nothing


def test_reads_are_ledger_entries_and_the_original_needs_a_named_handler_and_a_reason(reported):
    report, admin = reported.report, reported.admin
    first = report.attachments.get(number=1)
    opened = services.read_attachment(by=admin, report=report, attachment_id=first.pk)
    assert opened.name == "附件1.jpg" and opened.content_type == "image/jpeg" and not opened.original
    assert len(Image.open(io.BytesIO(opened.data)).getexif()) == 0
    read = Entry.objects.get(event_type="reports.attachment_read")
    assert _payload(read)["report_attachment"] == first.pk and read.unit == ""
    with pytest.raises(DomainError) as not_named:  # no case yet: nobody is a named handler
        services.read_attachment(
            by=admin, report=report, attachment_id=first.pk, original=True, reason="核实地点"
        )
    assert not_named.value.status == 403
    services.open_case(by=admin, reports=[report], handlers=[admin])
    report.refresh_from_db()
    with pytest.raises(DomainError) as no_reason:
        services.read_attachment(by=admin, report=report, attachment_id=first.pk, original=True, reason=" ")
    assert no_reason.value.status == 422
    assert not Entry.objects.filter(event_type="reports.attachment_original_read").exists()
    original = services.read_attachment(
        by=admin, report=report, attachment_id=first.pk, original=True, reason="核实拍摄地点"
    )
    assert original.original and original.name == FILENAME and original.data == jpeg_with_gps()
    entry = Entry.objects.get(event_type="reports.attachment_original_read")
    assert _payload(entry) == {
        "report": report.pk,
        "report_channel": "web",
        "report_status": "in_case",
        "report_attachment": first.pk,
        "reason_given": True,
        "district": reported.district.code,
    }


@pytest.mark.parametrize("who", ["principal", "deputy", "staff", "other_admin", "outsider"])
def test_nobody_concerned_reads_an_attachment(reported, who):
    person = getattr(reported, who)
    attachment = reported.report.attachments.first()
    before = Entry.objects.count()
    with pytest.raises(DomainError):
        services.read_attachment(by=person, report=reported.report, attachment_id=attachment.pk)
    assert Entry.objects.count() == before


def test_the_reporter_adds_files_in_the_follow_up(reported):
    services.write_as_reporter(
        report=reported.report,
        body="补充凭证",
        files=[Upload(docx_with_creator(), "x.docx")],
        keep_originals=False,
    )
    added = reported.report.attachments.get(number=3)
    assert added.name == "附件3.docx" and added.sealed_original is None and added.author == "reporter"
    assert Entry.objects.filter(event_type="reports.attached").count() == 2


def test_staff_attach_to_the_reports_they_record_only(reported):
    phoned = services.receive(
        by=reported.admin, channel="email", subject="来信", body="内容", unit=reported.unit.code
    ).report
    made = services.attach_recorded(
        by=reported.admin, report=phoned, files=[Upload(pdf_with_author(), "邮件附件.pdf")], consent=True
    )
    assert made[0].added_by == reported.admin and made[0].author == "reporter" and made[0].has_original
    with pytest.raises(DomainError) as web:
        services.attach_recorded(by=reported.admin, report=reported.report, files=[Upload(b"x", "x.txt")])
    assert web.value.status == 409
    with pytest.raises(DomainError) as far:
        services.attach_recorded(by=reported.other_admin, report=phoned, files=[Upload(b"x", "x.txt")])
    assert far.value.status == 403


def test_a_key_rotation_reseals_attachments(reported):
    attachment = reported.report.attachments.get(number=1)
    before = bytes(attachment.sealed_clean), bytes(attachment.sealed_original)
    old_keys = sealing.read_keys()
    count = services.rotate_keys()
    assert count >= 4
    attachment.refresh_from_db()
    assert bytes(attachment.sealed_clean) != before[0] and bytes(attachment.sealed_original) != before[1]
    assert sealing.read_keys() != old_keys and len(sealing.read_keys()) == 1
    opened = services.read_attachment(by=reported.admin, report=reported.report, attachment_id=attachment.pk)
    assert opened.data[:3] == b"\xff\xd8\xff"
    services.open_case(by=reported.admin, reports=[reported.report], handlers=[reported.admin])
    original = services.read_attachment(
        by=reported.admin,
        report=reported.report,
        attachment_id=attachment.pk,
        original=True,
        reason="核实拍摄地点",
    )
    assert original.name == FILENAME


# --------------------------------------------------------------------------------------------- pages


def _receipt_of(page: str) -> tuple[str, str]:
    receipt = re.search(r'data-testid="receipt"[^>]*>([^<]+)<', page).group(1)
    passphrase = re.search(r'data-testid="passphrase"[^>]*>([^<]+)<', page).group(1)
    return receipt, passphrase


def _jpeg_upload(name: str = FILENAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def test_the_public_form_takes_files_without_javascript_or_a_cookie(world):
    client = Client(enforce_csrf_checks=True)
    form = client.get("/report/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form and "multiple" in form
    assert "同意保留原始文件（仅供办案人员核实，默认不保留）" in form and "<script" not in form
    assert not re.search(r'name="keep_originals"[^>]*checked', form)
    answer = client.post(
        "/report/",
        {
            "unit": world.unit.code,
            "subject": "反映问题",
            "body": "某某收受回扣",
            "anonymous": "on",
            "attachments": [_jpeg_upload(), SimpleUploadedFile("说明.txt", "说明".encode())],
        },
    )
    assert answer.status_code == 201, answer.content.decode()[:2000]
    assert not answer.cookies and not client.cookies
    assert "已收到 2 个附件" in answer.content.decode()
    report = Report.objects.get()
    assert [(a.name, a.consent) for a in report.attachments.all()] == [
        ("附件1.jpg", False),
        ("附件2.txt", False),
    ]
    receipt, passphrase = _receipt_of(answer.content.decode())
    follow = client.post(
        "/report/follow-up/",
        {
            "receipt": receipt,
            "passphrase": passphrase,
            "body": "",
            "attachments": [_jpeg_upload()],
            "keep_originals": "on",
        },
    )
    assert follow.status_code == 200 and not client.cookies
    assert 'data-testid="attachments-received"' in follow.content.decode()
    assert report.attachments.get(number=3).has_original


def test_a_bad_file_keeps_everything_the_reporter_typed(world):
    answer = Client().post(
        "/report/",
        {
            "unit": world.unit.code,
            "subject": "我的标题",
            "body": "我写了很长的内容",
            "anonymous": "",
            "name": "钱某",
            "contact": "139",
            "passphrase": "my-own-passphrase-1",
            "attachments": [SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(100))],
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 422 and "不支持的附件类型" in page and "重新选择" in page
    for typed in ("我的标题", "我写了很长的内容", "钱某", "139", "my-own-passphrase-1"):
        assert typed in page, typed
    assert not Report.objects.exists() and not answer.cookies


def test_a_bad_file_in_the_follow_up_keeps_the_message_and_the_conversation(world):
    given = services.receive(by=None, channel="web", subject="反映", body="内容", unit=world.unit.code)
    services.write_as_handler(by=world.admin, report=given.report, body="请补充凭证")
    answer = Client().post(
        "/report/follow-up/",
        {
            "receipt": given.receipt,
            "passphrase": given.passphrase,
            "body": "凭证见附件",
            "attachments": [SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(100))],
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 422 and "不支持的附件类型" in page and "重新选择" in page
    assert "凭证见附件" in page and "请补充凭证" in page  # what they typed, and the conversation
    assert not given.report.messages.filter(author="reporter").exists()
    assert not given.report.attachments.exists() and not answer.cookies


def _handler_world(world):
    given = services.receive(
        by=None,
        channel="web",
        subject="反映",
        body="内容",
        unit=world.unit.code,
        person=world.principal.username,
        files=[Upload(jpeg_with_gps(), FILENAME)],
        keep_originals=True,
    )
    return given.report, given.report.attachments.get()


def test_the_handler_lists_and_downloads_the_clean_file(world):
    report, attachment = _handler_world(world)
    handler = Client()
    handler.force_login(world.admin)
    page = handler.get(f"/reports/{report.pk}/").content.decode()
    assert "附件1.jpg" in page and FILENAME not in page and "图片" in page and "image/jpeg" not in page
    url = f"/reports/{report.pk}/attachments/{attachment.pk}/"
    assert url in page
    response = handler.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert ARTIST.encode() not in response.content
    assert handler.get(f"{url}original/").status_code == 405
    refused = handler.post(f"{url}original/", {"reason": "核实拍摄地点"})
    assert refused.status_code == 403  # not a named handler of a case yet
    services.open_case(by=world.admin, reports=[report], handlers=[world.admin])
    original = handler.post(f"{url}original/", {"reason": "核实拍摄地点"})
    assert original.status_code == 200 and original.content == jpeg_with_gps()
    assert (
        original["Content-Disposition"].startswith("attachment;") and "no-store" in original["Cache-Control"]
    )


@pytest.mark.parametrize("who", ["principal", "deputy", "inspector", "staff", "other_admin", "outsider"])
def test_anyone_concerned_gets_404_on_the_download_and_the_api(world, api_client, who):
    report, attachment = _handler_world(world)
    person = getattr(world, who)
    client = Client()
    client.force_login(person)
    base = f"/reports/{report.pk}/attachments/{attachment.pk}/"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}original/", {"reason": "核实拍摄地点"}).status_code == 404
    api = api_client.as_(person)
    assert api.get(f"/api/v1/reports/{report.pk}/attachments/{attachment.pk}").status_code == 404
    assert selectors.list_reports_for(person).count() == 0


def test_the_api_serves_the_clean_file_and_takes_files_for_recorded_reports(world, api_client):
    report, attachment = _handler_world(world)
    api = api_client.as_(world.admin)
    response = api.get(f"/api/v1/reports/{report.pk}/attachments/{attachment.pk}")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"].startswith("attachment;") and ARTIST.encode() not in response.content
    )
    listed = api.get(f"/api/v1/reports/{report.pk}").json()["attachments"]
    assert listed == [
        {
            "id": attachment.pk,
            "name": "附件1.jpg",
            "content_type": "image/jpeg",
            "size": attachment.size,
            "author": "reporter",
            "original_kept": True,
            "added_at": listed[0]["added_at"],
        }
    ]
    emailed = services.receive(
        by=world.admin, channel="email", subject="来信", body="内容", unit=world.unit.code
    )
    from zhiheng.accounts.services import issue_token
    from zhiheng.org.tests.factories import PASSWORD

    client = Client()
    headers = {
        "HTTP_AUTHORIZATION": f"Bearer {issue_token(username=world.admin.username, password=PASSWORD)}"
    }
    upload = client.post(
        f"/api/v1/reports/{emailed.report.pk}/attachments",
        {"files": [SimpleUploadedFile("邮件附件.pdf", pdf_with_author())], "keep_original": "true"},
        **headers,
    )
    assert upload.status_code == 201, upload.content
    assert [(a["name"], a["original_kept"]) for a in upload.json()] == [("附件1.pdf", True)]
    refused = client.post(
        f"/api/v1/reports/{emailed.report.pk}/attachments",
        {"files": [SimpleUploadedFile("x.exe", b"MZ\x90\x00" + bytes(100))]},
        **headers,
    )
    assert refused.status_code == 422 and refused.json()["error"]["rule"] == "R-SUP-3"
