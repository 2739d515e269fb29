"""The analytics page's charts, each with the table behind it and the columns of its Excel export.

A chart's spec is what workbench/static/workbench/charts.js draws ({categories, series: [{name, data,
type}], unit, horizontal, dual}); its table holds the same figures and more (counts, p90), and the export
is that table, typed (zhiheng.web.exports).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.ledger import selectors as ledger_selectors
from zhiheng.risk.models import Warning
from zhiheng.web.exports import Column

from .. import selectors as s
from ..rules import Scope
from ..selectors import Period
from ..stats import Latency

TOP_SIGNERS = 15
MISSING = "-"


@dataclass
class Chart:
    id: str
    title: str
    spec: dict[str, Any]
    columns: list[Column]
    rows: list[list[Any]]  # typed values, as exported
    note: str = ""

    @property
    def dom_id(self) -> str:
        return f"data-{self.id}"

    @property
    def head(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def shown(self) -> list[list[str]]:
        """The table's cells as the page shows them."""
        return [[_cell(c.kind, v) for c, v in zip(self.columns, row, strict=True)] for row in self.rows]

    @property
    def body(self) -> SafeString:
        """The table's rows as HTML (the first cell heads its row), escaped: built here rather than by two
        nested template loops, which cost tens of milliseconds on a district's page."""
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (row[0], format_html_join("", '<td class="num">{}</td>', ((c,) for c in row[1:])))
                for row in self.shown
            ),
        )

    @property
    def drawn(self) -> bool:
        return any(Decimal(v) for series in self.spec["series"] for v in series["data"] if v != MISSING)


def _cell(kind: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if kind == "money":
        return f"¥{Decimal(value):,.2f}"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _num(value: float | int | Decimal | None) -> str:
    return MISSING if value is None else str(value)  # ECharts leaves a gap for "-" (no decided matter)


def _spec(
    categories: list[str],
    series: Sequence[tuple[str, Sequence[Any], str]],
    *,
    unit: str,
    horizontal: bool = False,
    dual: bool = False,
    integer: bool = False,
) -> dict[str, Any]:
    return {
        "categories": categories,
        "unit": unit,
        "integer": integer,
        "dual": dual,
        "stack": False,
        "horizontal": horizontal,
        "series": [
            {"name": name, "data": [_num(v) for v in values], "type": kind} for name, values, kind in series
        ],
    }


def _month(m: dt.date) -> str:
    return f"{m.year}-{m.month:02d}"


def _latency_columns(prefix: str = "") -> list[Column]:
    return [
        Column(prefix + _("已决定事项"), "int", 12),
        Column(prefix + _("用时中位数（天）"), "text", 14),
        Column(prefix + _("用时90分位（天）"), "text", 14),
    ]


def _latency_cells(latency: Latency) -> list[Any]:
    return [latency.count, latency.median_days, latency.p90_days]


def before_after_chart(figures: s.BeforeAfter, pilots: set[int]) -> Chart:
    rows = [
        [
            unit.name,
            _("试点") if unit.pk in pilots else "",
            reform,
            side.count_before,
            *_latency_cells(side.before)[1:],
            side.count_after,
            *_latency_cells(side.after)[1:],
        ]
        for unit, reform, side in figures.per_unit
    ]
    return Chart(
        "before-after",
        _("改革前后：审批用时中位数（天）"),
        _spec(
            [unit.name for unit, _r, _s in figures.per_unit],
            [
                (_("改革前"), [side.before.median_days for _u, _r, side in figures.per_unit], "bar"),
                (_("改革后"), [side.after.median_days for _u, _r, side in figures.per_unit], "bar"),
            ],
            unit=_("天"),
            horizontal=len(figures.per_unit) > 6,
        ),
        [
            Column(_("单位"), "text", 18),
            Column(_("试点"), "text", 6),
            Column(_("改革日期（分工方案生效）"), "date", 14),
            Column(_("改革前事项"), "int", 10),
            Column(_("改革前中位数（天）"), "text", 12),
            Column(_("改革前90分位（天）"), "text", 12),
            Column(_("改革后事项"), "int", 10),
            Column(_("改革后中位数（天）"), "text", 12),
            Column(_("改革后90分位（天）"), "text", 12),
        ],
        rows,
        _("改革日期：单位首份分工方案的生效日期；事项按提交日期归入改革前或改革后。"),
    )


def pilot_chart(figures: s.BeforeAfter) -> Chart | None:
    if figures.pilot is None or figures.non_pilot is None:
        return None
    groups = [(_("试点单位"), figures.pilot), (_("非试点单位"), figures.non_pilot)]
    return Chart(
        "pilot",
        _("试点与非试点单位：审批用时中位数（天）"),
        _spec(
            [name for name, _side in groups],
            [
                (_("改革前"), [side.before.median_days for _n, side in groups], "bar"),
                (_("改革后"), [side.after.median_days for _n, side in groups], "bar"),
            ],
            unit=_("天"),
        ),
        [Column(_("单位组"), "text", 14), *_latency_columns(_("改革前")), *_latency_columns(_("改革后"))],
        [[name, *_latency_cells(side.before), *_latency_cells(side.after)] for name, side in groups],
        _("试点单位由区纪委在“成效分析”中逐个标记。"),
    )


def monthly_latency_chart(months: list[s.Month]) -> Chart:
    decided = [m for m in months if m.latency.count]
    return Chart(
        "monthly-latency",
        _("逐月审批用时（按提交月份，天）"),
        _spec(
            [_month(m.month) for m in decided],
            [
                (_("中位数"), [m.latency.median_days for m in decided], "line"),
                (_("90分位"), [m.latency.p90_days for m in decided], "line"),
            ],
            unit=_("天"),
        ),
        [Column(_("月份"), "text", 10), *_latency_columns()],
        [[_month(m.month), *_latency_cells(m.latency)] for m in decided],
    )


def signers_chart(waits: list[s.SignerWait]) -> Chart:
    top = waits[:TOP_SIGNERS]
    return Chart(
        "signers",
        _("等待签字最久的签批人（中位数，天）"),
        _spec(
            [w.name for w in top],
            [
                (_("中位数"), [w.latency.median_days for w in top], "bar"),
                (_("90分位"), [w.latency.p90_days for w in top], "bar"),
            ],
            unit=_("天"),
            horizontal=True,
        ),
        [
            Column(_("签批人"), "text", 12),
            Column(_("账号"), "text", 16),
            Column(_("独立审批"), "int", 10),
            Column(_("会签"), "int", 8),
            Column(_("用时中位数（天）"), "text", 14),
            Column(_("用时90分位（天）"), "text", 14),
        ],
        [
            [w.name, w.username, w.decisions, w.cosigns, w.latency.median_days, w.latency.p90_days]
            for w in top
        ],
        _("独立审批：提交至决定；会签：进入待会签至签字。"),
    )


def category_chart(rows: list[s.LatencyRow]) -> Chart:
    return Chart(
        "category",
        _("各类职权审批用时（天）"),
        _spec(
            [r.label for r in rows],
            [
                (_("中位数"), [r.latency.median_days for r in rows], "bar"),
                (_("90分位"), [r.latency.p90_days for r in rows], "bar"),
            ],
            unit=_("天"),
        ),
        [Column(_("职权类别"), "text", 14), *_latency_columns()],
        [[r.label, *_latency_cells(r.latency)] for r in rows],
    )


def matters_chart(months: list[s.Month]) -> Chart:
    return Chart(
        "matters",
        _("逐月事项数与金额"),
        _spec(
            [_month(m.month) for m in months],
            [
                (_("事项数"), [m.matters for m in months], "bar"),
                (_("金额（元）"), [m.amount for m in months], "line"),
            ],
            unit=_("件"),
            dual=True,
            integer=True,
        ),
        [Column(_("月份"), "text", 10), Column(_("事项数"), "int", 10), Column(_("金额（元）"), "money", 18)],
        [[_month(m.month), m.matters, m.amount] for m in months],
    )


def collective_chart(months: list[s.Month]) -> Chart:
    shown = [m for m in months if m.collective or m.meeting_decisions or m.dissent or m.vetoes]
    return Chart(
        "collective",
        _("集体决策、不同意意见与否决"),
        _spec(
            [_month(m.month) for m in shown],
            [
                (_("会议决定议题"), [m.meeting_decisions for m in shown], "bar"),
                (_("不同意表态"), [m.dissent for m in shown], "bar"),
                (_("一把手否决"), [m.vetoes for m in shown], "bar"),
            ],
            unit=_("次"),
            integer=True,
        ),
        [
            Column(_("月份"), "text", 10),
            Column(_("集体会审决定事项"), "int", 14),
            Column(_("会议决定议题"), "int", 12),
            Column(_("不同意表态"), "int", 12),
            Column(_("有不同意见的议题"), "int", 14),
            Column(_("一把手否决"), "int", 10),
        ],
        [
            [_month(m.month), m.collective, m.meeting_decisions, m.dissent, m.items_with_dissent, m.vetoes]
            for m in shown
        ],
        _("会议按会议日期、已封存纪要计；否决按否决日期计。"),
    )


def warnings_chart(months: list[s.WarningMonth]) -> Chart:
    return Chart(
        "warnings",
        _("预警产生与处理"),
        _spec(
            [_month(m.month) for m in months],
            [
                (_("产生"), [m.raised for m in months], "bar"),
                (_("处理"), [m.resolved for m in months], "line"),
            ],
            unit=_("条"),
            integer=True,
        ),
        [Column(_("月份"), "text", 10), Column(_("产生"), "int", 8), Column(_("处理"), "int", 8)],
        [[_month(m.month), m.raised, m.resolved] for m in months],
    )


@dataclass
class Page:
    scope: Scope
    period: Period
    figures: s.BeforeAfter
    charts: list[Chart] = field(default_factory=list)

    @property
    def total_count(self) -> int:
        return self.figures.overall.count_before + self.figures.overall.count_after

    @property
    def total_amount(self) -> Decimal:
        return self.figures.overall.amount_before + self.figures.overall.amount_after


# The page's figures change only when a ledger entry is recorded (every write of a matter, meeting, plan or
# parameter records one in its own transaction): they are cached under the ledger's version, the scope's
# units, the period, the day and the language, so a repeated view costs the cache look-up. The warnings
# chart depends on who is looking (risk's visibility) and is never cached. TTL bounds what no entry records
# (a person's display name).
CACHE_SECONDS = 600


def _cache_key(scope: Scope, period: Period) -> str:
    units = hashlib.sha256(",".join(map(str, sorted(scope.unit_ids))).encode()).hexdigest()[:24]
    version = ":".join(map(str, ledger_selectors.version()))
    return f"analytics:page:{get_language()}:{units}:{period.start}:{period.end}:{clock.today()}:{version}"


def _rolled_up(scope: Scope, period: Period) -> tuple[s.BeforeAfter, list[Chart]]:
    """The figures and the charts that come from the matters, meetings and roll-up (not the warnings)."""
    ids = scope.unit_ids
    reading = s.reading(ids, period)  # planned once: the roll-up's whole months, the rest live
    figures = s.before_after(scope.units, period, reading=reading)
    pilots = set(figures.pilots)
    months = s.monthly(ids, period, reading=reading)
    makers: list[Callable[[], Chart | None]] = [
        lambda: before_after_chart(figures, pilots),
        lambda: pilot_chart(figures),
        lambda: monthly_latency_chart(months),
        lambda: signers_chart(s.signer_waits(ids, period, reading=reading)),
        lambda: category_chart(s.latency_by(ids, period, "category", reading=reading)),
        lambda: matters_chart(months),
        lambda: collective_chart(months),
    ]
    return figures, [chart for make in makers if (chart := make()) is not None]


def build(scope: Scope, period: Period, warnings: QuerySet[Warning] | None) -> Page:
    """Every chart of the page for the scope (`warnings`: those the viewer may see, None for none)."""
    key = _cache_key(scope, period)
    cached = cache.get(key)
    if cached is None:
        cached = _rolled_up(scope, period)
        cache.set(key, cached, CACHE_SECONDS)
    figures, charts = cached
    page = Page(scope, period, figures, list(charts))
    if warnings is not None:
        page.charts.append(warnings_chart(s.warnings_monthly(warnings, scope.unit_ids, period)))
    return page
