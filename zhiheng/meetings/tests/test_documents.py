"""The formal minutes as a PDF (issue 13 item 5): letterhead, document number, statements in speaking
order with the principal last, the decision in Chinese, signature lines, page numbers, the ledger
anchor; the minutes page's rule for who may print; only sealed meetings."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.test import TestCase
from pypdf import PdfReader

from zhiheng.core import clock
from zhiheng.ledger.models import Checkpoint, Entry
from zhiheng.meetings import documents, services
from zhiheng.meetings.models import MeetingState

from .conftest import DAY, attend_all, convene, say

pytestmark = pytest.mark.django_db


def login(client, person):
    from zhiheng.org.tests.factories import PASSWORD

    assert client.login(username=person.username, password=PASSWORD)


def text_of(content: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sealed_meeting(w, *, reasons=("预算内采购，程序合规", "同意，注意比价", "同意", "同意，按程序执行")):
    meeting = convene(
        w,
        items=[
            {"title": "采购办公设备", "presenter": w.deputy},
            {"title": "修缮办公楼屋顶", "presenter": w.deputy2},
        ],
    )
    attend_all(w, meeting, present=[*w.voters, w.inspector])
    first, second = meeting.items.order_by("number")
    say(w.deputy, first, reason=reasons[0])
    say(w.deputy2, first, reason=reasons[1])
    say(w.deputy3, first, position="disagree", reason="价格偏高")
    say(w.principal, first, reason=reasons[3])
    say(w.deputy2, second, position="defer", reason="方案未比选")
    say(w.deputy, second, position="defer", reason="待补充预算")
    say(w.deputy3, second, position="disagree", reason="不急需")
    say(w.principal, second, position="defer", reason="下次再议")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the checkpoint issued at the close
        services.close_meeting(by=w.principal, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def sealed(mw):
    return sealed_meeting(mw)


def test_pdf_carries_the_formal_minutes(client, mw, sealed):
    login(client, mw.deputy)
    r = client.get(f"/meetings/{sealed.pk}/minutes.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("inline;") and "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("UTF-8''")[1]) == "测试区测试局会议纪要〔2026〕第1号.pdf"
    text, pages = text_of(r.content)
    body = flat(text)
    assert "测试区测试局会议纪要" in body and "〔2026〕第1号" in body
    assert "主持人：张一把" in body and "会议日期：2026年03月02日" in body
    assert "列席监督（纪检）：陈纪检" in body
    # every statement, in speaking order, the principal last
    order = [
        "李副甲",
        "预算内采购，程序合规",
        "王副乙",
        "同意，注意比价",
        "赵副丙",
        "价格偏高",
        "张一把（一把手，末位表态）",
        "同意，按程序执行",
        "王副乙",
        "方案未比选",
        "李副甲",
        "待补充预算",
        "赵副丙",
        "不急需",
        "张一把（一把手，末位表态）",
        "下次再议",
    ]
    at = 0
    for piece in order:
        found = body.find(piece, at)
        assert found >= 0, f"{piece} not after position {at}"
        at = found + len(piece)
    assert "一、采购办公设备" in body and "二、修缮办公楼屋顶" in body
    assert "决定：通过（同意3，不同意1，缓议0）" in body
    assert "决定：未通过" in body or "决定：缓议" in body
    assert "passed" not in body and "rejected" not in body
    assert "记录人（签字）" in body and "主持人（签字）" in body and "列席纪检（签字）" in body
    assert f"第1页共{pages}页" in body and f"第{pages}页共{pages}页" in body
    entry = Entry.objects.get(subject=sealed.ref, event_type="meeting.sealed")
    checkpoint = Checkpoint.objects.filter(size__gt=entry.index).order_by("id").first()
    assert checkpoint is not None
    assert f"账本第{entry.index}号条目（会议纪要封存）" in body and sealed.minutes_digest in body
    assert "meeting.sealed" not in body  # the event by its Chinese name, not its code
    assert f"第{checkpoint.pk}号，条目数{checkpoint.size}" in body
    assert bytes(checkpoint.root).hex()[:16] in body and checkpoint.key_id in body
    assert "zhihengledgerverify-proof" in body and f"/ledger/entries/{entry.index}/" in body


def test_signature_lines_never_stand_alone_at_the_top_of_a_page(client, mw, sealed):
    """The signatures stay on the page of the last decision (they once fell alone onto page 2)."""
    login(client, mw.deputy)
    reader = PdfReader(io.BytesIO(client.get(f"/meetings/{sealed.pk}/minutes.pdf").content))
    pages = [flat(page.extract_text()) for page in reader.pages]
    signed = [n for n, text in enumerate(pages) if "记录人（签字）" in text]
    assert len(signed) == 1
    page = pages[signed[0]]
    assert page.index("决定：缓议") < page.index("记录人（签字）")


def test_number_is_the_place_among_the_years_sealed_meetings_and_stable(client, mw, sealed):
    with clock.frozen(clock.at(DAY, 15)):
        second = sealed_meeting(mw)
    assert documents.document_number(sealed) == "〔2026〕第1号"
    assert documents.document_number(second) == "〔2026〕第2号"
    login(client, mw.principal)
    first_print = client.get(f"/meetings/{second.pk}/minutes.pdf").content
    again = client.get(f"/meetings/{second.pk}/minutes.pdf").content
    assert first_print == again  # a reprint is the same document, byte for byte
    assert "〔2026〕第2号" in flat(text_of(again)[0])


def test_chinese_numerals_for_headings():
    assert [documents.chinese_number(n) for n in (1, 9, 10, 12, 20, 23)] == [
        "一",
        "九",
        "十",
        "十二",
        "二十",
        "二十三",
    ]


def test_open_meeting_has_no_pdf(client, mw):
    meeting = convene(mw)
    assert meeting.state == MeetingState.OPEN
    login(client, mw.principal)
    r = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert r.status_code == 409 and "R-MTG-7" in r.content.decode()


@pytest.mark.parametrize("who", ["staff", "outsider", "other_principal", "other_admin"])
def test_who_may_not_read_the_minutes_may_not_print_them(client, mw, sealed, who):
    login(client, getattr(mw, who))
    assert client.get(f"/meetings/{sealed.pk}/minutes/").status_code == 404
    assert client.get(f"/meetings/{sealed.pk}/minutes.pdf").status_code == 404


@pytest.mark.parametrize("who", ["principal", "deputy3", "inspector", "admin"])
def test_who_may_read_the_minutes_may_print_them(client, mw, sealed, who):
    login(client, getattr(mw, who))
    assert client.get(f"/meetings/{sealed.pk}/minutes.pdf").status_code == 200


def test_minutes_page_links_the_pdf_once_sealed(client, mw, sealed):
    login(client, mw.principal)
    assert (
        f"/meetings/{sealed.pk}/minutes.pdf" in client.get(f"/meetings/{sealed.pk}/minutes/").content.decode()
    )
    meeting = convene(mw)
    assert "minutes.pdf" not in client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()


def test_rare_character_outside_the_embedded_subset_still_prints(client, mw):
    meeting = sealed_meeting(mw, reasons=("同意，请𠀋喆堃核对", "同意", "同意", "同意"))
    login(client, mw.principal)
    r = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert r.status_code == 200 and b"STSong-Light" in r.content
