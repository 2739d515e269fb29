"""Rebuild the committed CJK font subset from the Noto Serif SC OpenType font (SIL OFL 1.1).

ReportLab embeds TrueType outlines only, and Noto CJK ships CFF (PostScript) outlines, so the font is
subset to the characters official documents use and converted to quadratic TrueType outlines once, here;
the result is committed beside this script (fonts/NotoSerifSC-Subset.ttf, with its licence), so a fresh
machine renders and embeds Chinese with no system font and no download. ReportLab embeds, per document,
only the glyphs a document uses.

    pip download pylopdf-fonts-zh-cn==0.1.1 --no-deps -d /tmp/f && unzip -o /tmp/f/*.whl -d /tmp/f
    pip install fonttools==4.66.1
    python zhiheng/web/fonts/build_subset.py /tmp/f/pylopdf_fonts_zh_cn/NotoSerifSC-Regular.otf

Characters: ASCII, Latin-1, general punctuation, CJK symbols and full-width forms, and every character
of GBK (21,003 hanzi: GB 2312's 6,763 and the rarer ones common in names, such as 喆, 堃, 赟, 玥; 9.5 MB).
Characters outside it (CJK extension B and later) are drawn with ReportLab's built-in CID font
STSong-Light as a fallback (zhiheng/web/pdf.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

OUT = Path(__file__).resolve().parent / "NotoSerifSC-Subset.ttf"


def charset() -> set[int]:
    chars: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x2460, 0x24A0))  # punctuation, ①…
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))  # 、。〔〕「」, full-width forms
    for hi in range(0x81, 0xFF):  # every two-byte code of GBK (GB 2312 and its extension)
        for lo in range(0x40, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gbk")))
            except UnicodeDecodeError:
                continue
    return chars


def to_truetype(font: TTFont) -> None:
    """CFF → glyf (the fontTools otf2ttf recipe): cubic curves approximated by quadratic ones."""
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        glyphset[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    for table in ("VORG",):
        if table in font:
            del font[table]
    glyf.compile(font)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and ReportLab does not need them
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: str) -> None:
    options = subset.Options()
    options.layout_features = []  # ReportLab does no shaping; keeps the file small
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(charset()))
    subsetter.subset(font)
    to_truetype(font)
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(font.getGlyphOrder()):,} glyphs")


if __name__ == "__main__":
    main(sys.argv[1])
