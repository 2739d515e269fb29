"""A small server-side SVG renderer for a power's operation flowchart 权力运行流程图 (R-DIV-1).

Pure (no ORM): steps in → SVG text out. Boxes top to bottom joined by arrows; each box shows the step,
the acting role and its output. No external JS or fonts: the page draws it as served.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.translation import gettext

WIDTH, BOX_W, BOX_H, GAP, TOP = 420, 360, 58, 26, 12


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def flowchart_svg(steps: Sequence[dict[str, str]], *, title: str = "") -> str:
    """The SVG of a flowchart; an empty flowchart gives a small placeholder picture."""
    if not steps:
        # Outside the f-string, where makemessages can find it.
        placeholder = escape(gettext("未登记运行流程"))
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="40" '
            f'aria-label="{escape(title)}"><text x="10" y="25" font-size="13" fill="#6b7280">{placeholder}</text></svg>'
        )
    height = TOP * 2 + len(steps) * BOX_H + (len(steps) - 1) * GAP
    x = (WIDTH - BOX_W) // 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="flowchart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>',
    ]
    for i, step in enumerate(steps):
        y = TOP + i * (BOX_H + GAP)
        name = escape(_clip(str(step.get("step", "")), 22))
        role = escape(_clip(str(step.get("role", "")), 12))
        output = escape(_clip(str(step.get("output", "")), 12))
        parts.append(
            f'<g class="step" data-step="{i + 1}">'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#fff" stroke="#b7282e"/>'
            f'<text x="{x + 12}" y="{y + 22}" font-size="14" font-weight="600" fill="#1f2328">{i + 1}. {name}</text>'
            f'<text x="{x + 12}" y="{y + 44}" font-size="12" fill="#6b7280">{role}'
            f"{' → ' + output if output else ''}</text></g>"
        )
        if i < len(steps) - 1:
            cx = WIDTH // 2
            parts.append(
                f'<line x1="{cx}" y1="{y + BOX_H}" x2="{cx}" y2="{y + BOX_H + GAP - 2}" stroke="#6b7280" '
                'marker-end="url(#arrow)"/>'
            )
    parts.append("</svg>")
    return "".join(parts)
