"""Printable PDF documents (issue 13): the embedded Chinese font, paragraph text, page numbers.

ReportLab draws the pages: it is fast (pure Python with C accelerators, no browser), and it embeds a
TrueType font, subset per document to the glyphs the document uses, so a PDF shows the same Chinese in
any viewer on any intranet machine, whatever fonts that machine has. The font is committed beside this
module (fonts/NotoSerifSC-Subset.ttf: Noto Serif SC, SIL OFL 1.1, subset to GBK and converted to
TrueType outlines by fonts/build_subset.py), so a fresh machine needs no system font and no download.
A character outside the subset (CJK extension B and later: very rare) falls back to ReportLab's
built-in CID font STSong-Light, which is not embedded: a viewer with Asian font support draws it, and
nothing else depends on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "NotoSerifSC"
FALLBACK_FONT = "STSong-Light"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSerifSC-Subset.ttf"


def _share_glyph_table(face: Any) -> None:
    """ReportLab copies the font's whole glyph table (9 MB) out of the font file's bytes each time it
    embeds a subset (every 256 distinct characters of a document: a 40-item monthly report embeds two),
    only to read the few glyphs used; it gets a zero-copy view of the table instead (~13 % of such a PDF).
    ReportLab edits glyph data only for composite glyphs, which the committed font has none of
    (build_subset.py draws every glyph as simple outlines; tests/test_pdf.py checks)."""
    table = face.get_table
    data = memoryview(face._ttf_data)

    def get_table(tag: str) -> Any:
        if tag != "glyf":
            return table(tag)
        pos, length = face.get_table_pos(tag)
        return data[pos : pos + length]

    face.get_table = get_table


@functools.cache
def _covered() -> frozenset[int]:
    """Registers the fonts once per process and returns the code points the embedded font draws."""
    font = TTFont(FONT, str(FONT_FILE))
    _share_glyph_table(font.face)
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return frozenset(font.face.charToGlyph)


def register_fonts() -> str:
    """The embedded font's name, registered with ReportLab (idempotent)."""
    _covered()
    return FONT


def letterhead_name(unit: str, district: str) -> str:
    """A letterhead's name: the district's name before the unit's, once (江北区 + 区国税局 → 江北区国税局,
    南川区 + 南川区园林局 → 南川区园林局)."""
    if unit.startswith(district):
        return unit
    if unit.startswith("区") and district.endswith("区"):
        unit = unit[1:]
    return f"{district}{unit}"


def markup(text: object) -> str:
    """`text` as ReportLab paragraph markup: escaped, line breaks kept, and each run of characters the
    embedded font lacks drawn with the fallback CID font."""
    covered = _covered()
    text = str(text)
    if "\n" not in text and covered.issuperset(map(ord, text)):  # the usual case, at C speed
        return escape(text)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(f'<font face="{FALLBACK_FONT}">{escape("".join(run))}</font>')
            run.clear()

    for ch in text:
        if ch == "\n":
            flush()
            out.append("<br/>")
        elif ord(ch) in covered:
            flush()
            out.append(escape(ch))
        else:
            run.append(ch)
    flush()
    return "".join(out)


def style(name: str, size: float = 10.5, leading: float | None = None, **kw: Any) -> ParagraphStyle:
    """A paragraph style in the embedded font; CJK wrapping (a line may break between any two hanzi)."""
    register_fonts()
    return ParagraphStyle(
        name, fontName=FONT, fontSize=size, leading=leading or size * 1.6, wordWrap="CJK", **kw
    )


def numbered_canvas(footer: Callable[[int, int], str], font_size: float = 9) -> type[Canvas]:
    """A canvas class that writes `footer(page, pages)` centred at the foot of every page once the whole
    document is laid out, so each page can say "第 x 页 共 y 页"."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(FONT, font_size)
                self.setFillGray(0.25)
                self.drawCentredString(width / 2, 28, footer(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas


NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’,.;:?!)%")


def lines(text: object, width: float, size: float) -> str | None:
    """`text` broken into lines no wider than `width` points at `size` in the embedded font, joined by
    newlines — a plain table cell, which ReportLab draws without parsing paragraph markup (several times
    faster than a Paragraph). A line may break between any two characters, never before closing
    punctuation. None when the text needs the fallback font: use a Paragraph (`markup`) then."""
    covered = _covered()
    text = str(text)
    if not covered.issuperset(map(ord, text.replace("\n", ""))):
        return None
    if "\n" not in text and pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text  # fits on one line: measured at C speed, no per-character loop (most cells)
    face = pdfmetrics.getFont(FONT).face
    widths, default = face.charWidths, face.defaultWidth
    limit = width * 1000 / size
    out: list[str] = []
    for para in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for ch in para:
            w = widths.get(ord(ch), default)
            if line and used + w > limit and ch not in NO_LINE_START:
                out.append("".join(line))
                line, used = [], 0.0
            line.append(ch)
            used += w
        out.append("".join(line))
    return "\n".join(out)
