"""The PDF helpers: the embedded font's coverage, markup with the fallback font, plain table lines."""

from __future__ import annotations

import struct

from reportlab.pdfbase import pdfmetrics

from zhiheng.web import pdf


def test_markup_escapes_and_falls_back_for_characters_outside_the_subset():
    assert pdf.markup("a<b>&c 同意") == "a&lt;b&gt;&amp;c 同意"
    assert pdf.markup("张\n喆").startswith("张<br/>喆")  # 喆: outside GB 2312, inside GBK (embedded)
    # 𠀋 (CJK extension B) is outside GBK, so outside the embedded subset: the built-in CID font draws it
    assert pdf.markup("同喆𠀋") == f'同喆<font face="{pdf.FALLBACK_FONT}">𠀋</font>'


def test_lines_fit_the_width_and_never_start_with_closing_punctuation():
    text = "经核实，该事项符合预算安排和采购程序，价格经三家比选，同意按程序办理。" * 3
    out = pdf.lines(text, 120, 10)
    assert out is not None and out.replace("\n", "") == text
    rows = out.split("\n")
    assert len(rows) > 3
    for row in rows:
        assert row[0] not in pdf.NO_LINE_START
        assert pdfmetrics.stringWidth(row.rstrip("，。"), pdf.FONT, 10) <= 120
    assert pdf.lines("一行\n两行", 500, 10) == "一行\n两行"
    assert pdf.lines("𠀋", 500, 10) is None  # needs the fallback font: a Paragraph draws it


def test_the_glyph_table_is_shared_and_holds_no_composite_glyph():
    """Subsets read the embedded font's glyph table through a zero-copy view, which is right only while
    ReportLab never edits a glyph: it edits composite ones, and the committed font has none."""
    pdf.register_fonts()
    face = pdfmetrics.getFont(pdf.FONT).face
    glyf = face.get_table("glyf")
    assert isinstance(glyf, memoryview)
    starts = face.glyphPos
    composite = [
        n
        for n in range(len(starts) - 1)
        if starts[n + 1] - starts[n] > 2 and struct.unpack(">h", glyf[starts[n] : starts[n] + 2])[0] < 0
    ]
    assert composite == []
