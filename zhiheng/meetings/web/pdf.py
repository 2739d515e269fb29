"""The sealed minutes as a printable PDF 会议纪要 (issue 13 item 5): red letterhead with the unit's full
name, the document number, the meeting, attendance, each item's statements in speaking order (the
principal last, R-MTG-3), the computed decision, signature lines, "第 x 页 共 y 页" and the ledger
anchor a reader verifies the minutes by. Laid out with ReportLab (zhiheng/web/pdf.py: embedded font)."""

from __future__ import annotations

import dataclasses
import io
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from zhiheng.accounts.http import PersonRequest
from zhiheng.core import clock
from zhiheng.meetings import selectors
from zhiheng.meetings.documents import MinutesDocument, minutes_document
from zhiheng.meetings.events import SEALED
from zhiheng.web.labels import label
from zhiheng.web.pdf import FONT, lines, markup, numbered_canvas, style

RED = colors.HexColor("#C00000")
BODY = style("body", 11)
SMALL = style("small", 9, textColor=colors.HexColor("#333333"))
CELL = style("cell", 10, 15)
HEAD = style("head", 12.5, spaceBefore=8, spaceAfter=3)
TITLE = style("title", 15, alignment=1, spaceAfter=4)
NUMBER = style("number", 11, alignment=1)


class Letterhead(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """红头: the unit's full name and 会议纪要 in red, heavier than the body (fill and stroke), the document
    number, and the red rule under it."""

    def __init__(self, unit: str, number: str) -> None:
        super().__init__()
        self.unit, self.number = unit, number

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 34 * mm

    def draw(self) -> None:
        c = self.canv
        text = f"{self.unit}会议纪要"
        size = 26.0
        while c.stringWidth(text, FONT, size) > self.width and size > 14:
            size -= 1
        c.saveState()
        c.setFillColor(RED)
        c.setStrokeColor(RED)
        c.setLineWidth(0.6)
        t = c.beginText()
        t.setTextRenderMode(2)  # fill and stroke: a bold face without a second font file
        t.setFont(FONT, size)
        t.setTextOrigin((self.width - c.stringWidth(text, FONT, size)) / 2, 20 * mm)
        t.textOut(text)
        c.drawText(t)
        c.setFillColor(colors.black)
        c.setFont(FONT, 11)
        c.drawCentredString(self.width / 2, 9 * mm, self.number)
        c.setLineWidth(1.6)
        c.line(0, 5 * mm, self.width, 5 * mm)
        c.restoreState()


def _p(text: object, st: Any = BODY) -> Paragraph:
    return Paragraph(markup(text), st)


def _label(label: str, value: object, st: Any = BODY) -> Paragraph:
    return Paragraph(f"{markup(label)}：{markup(value)}", st)


COLUMNS = (9 * mm, 48 * mm, 26 * mm, 77 * mm)  # 序, 表态人, 表态, 理由: the 160 mm between the margins
PAD = 4  # points each side of a cell
CELL_SIZE, CELL_LEADING = 10, 15


def _cell(text: str, width: float) -> Any:
    """A table cell: plain lines when the embedded font draws every character (fast), else a Paragraph."""
    plain = lines(text, width - 2 * PAD, CELL_SIZE)
    return plain if plain is not None else _p(text, CELL)


def _statements(item: Any) -> Table:
    rows: list[list[Any]] = [["序", "表态人", "表态", "理由"]]
    for s in item.statements:
        who = s.name + ("（一把手，末位表态）" if s.principal else "")
        position = s.position + (f"（{s.candidate}）" if s.candidate else "")
        if not s.counted:
            position += "（不计入表决）"
        rows.append(
            [str(s.seq), *(_cell(t, w) for t, w in zip((who, position, s.reason), COLUMNS[1:], strict=True))]
        )
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ]
        )
    )
    return table


def _anchor(doc: MinutesDocument) -> list[Any]:
    a = doc.anchor
    parts: list[Any] = [_p("账本存证与验证", HEAD)]
    if a.entry_index is None:
        parts.append(_p("账本中未找到本次会议的封存条目，请联系区纪委核查。", SMALL))
        return parts
    event = label("ledger.event", SEALED.code)
    parts.append(_label("封存条目", f"账本第 {a.entry_index} 号条目（{event}）", SMALL))
    parts.append(_label("纪要摘要 SHA-256", a.digest, SMALL))
    if a.checkpoint_id is None:
        parts.append(_p("覆盖该条目的签名检查点尚未签发；下一次检查点签发后即可验证。", SMALL))
    else:
        when = f"{a.checkpoint_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}" if a.checkpoint_at else ""
        parts.append(
            _label(
                "签名检查点",
                f"第 {a.checkpoint_id} 号，条目数 {a.checkpoint_size}，根哈希 {a.root_prefix}…，"
                f"密钥 {a.key_id}，签发于 {when}",
                SMALL,
            )
        )
        parts.append(
            _label(
                "验证方法",
                f"在制衡系统打开 {doc.verify_path}（包含证明与检查点）；或取得证明包"
                f"（/api/v1/ledger/checkpoint、/api/v1/ledger/entries/{a.entry_index}、"
                f"/api/v1/ledger/proofs/inclusion?index={a.entry_index}&size={a.checkpoint_size}）后运行 "
                "zhiheng ledger verify-proof bundle.json，或离线运行 "
                "python zhiheng/ledger/verify_offline.py bundle.json --public-key <区公钥>",
                SMALL,
            )
        )
    return parts


def _signatures() -> Table:
    """记录人, 主持人 and 列席纪检 sign by hand on the printed copy, each on a rule, with the date."""
    labels = ["记录人（签字）", "主持人（签字）", "列席纪检（签字）"]
    date = _p("日期：_____年___月___日", SMALL)
    table = Table(
        [
            [_p(labels[0], CELL), "", _p(labels[1], CELL), "", _p(labels[2], CELL)],
            ["", "", "", "", ""],
            [date, "", date, "", date],
        ],
        colWidths=["30%", "5%", "30%", "5%", "30%"],
        rowHeights=[None, 12 * mm, None],
    )
    table.setStyle(TableStyle([("LINEBELOW", (col, 1), (col, 1), 0.6, colors.black) for col in (0, 2, 4)]))
    return table


def render_minutes_pdf(doc: MinutesDocument) -> bytes:
    """The PDF of one formal minutes document (A4)."""
    story: list[Any] = [Letterhead(doc.unit_name, doc.number), Spacer(1, 3 * mm), _p(doc.title, TITLE)]
    meta = f"{doc.kind}{f'（{doc.category}）' if doc.category else ''}"
    story += [
        _label("会议类型", meta),
        _label("会议日期", f"{doc.date:%Y年%m月%d日}"),
        *([_label("会议地点", doc.place)] if doc.place else []),
        _label("主持人", doc.chair),
        _label("出席", "、".join(doc.present) or "无"),
        _label("缺席", "、".join(doc.absent) or "无"),
        _label("列席监督（纪检）", "、".join(doc.inspectors) or "无"),
        _label("列席", "、".join(doc.observers) or "无"),
        _label("封存时间", f"{doc.sealed_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}"),
    ]
    story.append(_p("议题与表态（按发言顺序；一把手末位表态，R-MTG-3）", HEAD))
    outcome: list[Any] = []
    for item in doc.items:
        block: list[Any] = [_p(f"{item.heading}{item.title}", HEAD)]
        facts = [item.kind]
        if item.matter:
            facts.append(f"关联事项 #{item.matter}")
        if item.presenter:
            facts.append(f"分管副职（汇报人）：{item.presenter}")
        block.append(_p("；".join(facts), SMALL))
        if item.recused:
            block.append(_label("回避（R-MTG-9）", "、".join(item.recused), SMALL))
        for c in item.candidates:
            block.append(_label("候选人", c, SMALL))
        if item.statements:
            block.append(_statements(item))
        else:
            block.append(_p("（无表态）", SMALL))
        decision = f"决定：{item.decision}（{item.tally}"
        decision += f"；当选：{item.winner}）" if item.winner else "）"
        outcome = [Spacer(1, 2 * mm), _p(decision, BODY)]
        if item.deferred_reason:
            outcome.append(_label("缓议理由", item.deferred_reason, SMALL))
        if item.effect:
            outcome.append(_label(f"关联事项 #{item.matter} 的处理", item.effect, SMALL))
        story.append(KeepTogether(block[:3]))
        story += block[3:]
        if item is not doc.items[-1]:
            story += outcome
    # The signature lines never stand alone at the top of a page: they stay with the closing note and
    # what precedes it (the last decision, or the last correction).
    last: list[Any] = outcome
    if doc.corrections:
        story += outcome
        story.append(_p("更正记录（R-MTG-7）", HEAD))
        story += [_p(c, SMALL) for c in doc.corrections[:-1]]
        last = [_p(doc.corrections[-1], SMALL)]
    closing = _p("决定由系统依表态计算（R-MTG-6），纪要闭会时封存入账本（R-MTG-7）。", SMALL)
    story.append(KeepTogether([*last, closing, Spacer(1, 6 * mm), _signatures(), Spacer(1, 4 * mm)]))
    story.append(KeepTogether(_anchor(doc)))

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        title=f"{doc.unit_name}会议纪要 {doc.number}",
        author=doc.unit_name,
        subject=doc.title,
        creator="制衡 Zhiheng",
        invariant=1,
        initialFontName=FONT,  # the same minutes give the same bytes (no creation time or random id)
    )
    pdf.build(story, canvasmaker=numbered_canvas(lambda n, total: f"{doc.number}  第 {n} 页 共 {total} 页"))
    return buffer.getvalue()


def filename(doc: MinutesDocument) -> str:
    return f"{doc.unit_name}会议纪要{doc.number}.pdf"


@login_required
def minutes_pdf(request: PersonRequest, meeting_id: int) -> HttpResponse:
    """The printable minutes: whoever may read the minutes page (`get_meeting_for`), sealed only."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    doc = minutes_document(meeting, request.user)
    if doc.anchor.entry_index is not None:
        entry = reverse("ledger:entry", args=[doc.anchor.entry_index])
        doc = dataclasses.replace(doc, verify_path=request.build_absolute_uri(entry))
    response = HttpResponse(render_minutes_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename=\"minutes-{meeting.pk}.pdf\"; filename*=UTF-8''{quote(filename(doc), safe='')}"
    )
    return response
