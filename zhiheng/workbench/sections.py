"""The 工作台's sections, one per role a person holds today (issue 13): what needs them and what should worry
them, as counts that link to the filtered lists behind them, short lists, and charts with a table
equivalent. Reads come from `selectors` (which start from each app's own visibility); this module only
arranges them for the page: labels, links, chart data.

A person with several roles gets each role's section: a principal who also inspects another unit sees
that unit's warnings, never their own unit's (selectors.warnings_for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zhiheng.accounts.models import Person
from zhiheng.checkup import selectors as checkup
from zhiheng.core import clock
from zhiheng.inspections import selectors as inspections
from zhiheng.matters import rules as matter_rules
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters.models import Matter
from zhiheng.matters.selectors import Visibility
from zhiheng.matters.states import MatterState
from zhiheng.matters.viewer import Viewer
from zhiheng.meetings.models import MeetingKind
from zhiheng.org.models import District, Role, Unit
from zhiheng.reports import selectors as reports
from zhiheng.reports.states import Outcome
from zhiheng.risk.models import Level, WarningStatus
from zhiheng.riskregister import selectors as riskregister
from zhiheng.supervision import selectors as supervision
from zhiheng.tours import selectors as tours
from zhiheng.web import labels

from . import selectors as s

STATE_ORDER = [
    MatterState.SUBMITTED,
    MatterState.JOINT_REVIEW,
    MatterState.COLLECTIVE_REVIEW,
    MatterState.AWAITING_COSIGN,
    MatterState.VETOED,
    MatterState.APPROVED,
    MatterState.EXECUTED,
    MatterState.REJECTED,
    MatterState.WITHDRAWN,
]
LEVELS = [Level.HIGH, Level.MEDIUM, Level.LOW]
FALLBACK: dict[str, dict[str, Any]] = {
    "matter.state": {str(k): str(v) for k, v in MatterState.choices},
    "risk.level": {str(k): str(v) for k, v in Level.choices},
    "risk.status": {str(k): str(v) for k, v in WarningStatus.choices},
    "meeting.kind": {str(k): str(v) for k, v in MeetingKind.choices},
    "org.role": {str(k): str(v) for k, v in Role.choices},
    "powers.filing": {"filed": _lazy("按时报送"), "late": _lazy("逾期报送"), "missing": _lazy("未报送")},
}


def label(vocabulary: str, code: str) -> str:
    """The registry's label (zhiheng.web.labels); the model's own choice label until one is registered."""
    text = labels.label(vocabulary, code)
    if text == str(code):
        return str(FALLBACK.get(vocabulary, {}).get(str(code), text))
    return text


def yuan(amount: Decimal | None) -> str:
    return f"¥{amount or Decimal(0):,.2f}"


def _url(name: str, *args: object, **query: object) -> str:
    url = reverse(name, args=args)
    params = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


# ---------------------------------------------------------------- the pieces of a section


@dataclass(frozen=True)
class Tile:
    """A count that links to the filtered list behind it."""

    label: str
    count: int | str
    url: str
    tone: str = ""  # "bad" | "warn" | "ok" | ""
    key: str = ""  # data-testid suffix


@dataclass
class Chart:
    """A chart built in the browser from `spec` (json_script), with the same data as a table."""

    id: str
    title: str
    spec: dict[str, Any]
    head: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    role: str  # commission_admin | principal | deputy | inspector | staff | inspection
    title: str
    key: str  # unique on the page: "<role>-<unit or district code>"
    tiles: list[Tile] = field(default_factory=list)
    panels: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)


def _month_label(month: dt.date) -> str:
    return f"{month.year}-{month.month:02d}"


def _bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    unit: str,
    stack: bool = False,
    horizontal: bool = False,
    kinds: list[str] | None = None,
    dual: bool = False,
    cell: Any = str,
) -> Chart:
    spec = {
        "categories": categories,
        "unit": unit,
        "integer": unit != _("元"),
        "dual": dual,  # the line series on a second axis (amounts and counts in one chart)
        "stack": stack,
        "horizontal": horizontal,
        "series": [
            {"name": name, "data": [str(v) for v in values], "type": (kinds[i] if kinds else "bar")}
            for i, (name, values) in enumerate(series)
        ],
    }
    head = [""] + [name for name, _values in series]
    rows = [[cat] + [cell(values[i]) for _name, values in series] for i, cat in enumerate(categories)]
    if all(not Decimal(str(v)) for _name, values in series for v in values):
        rows = []  # nothing to draw: the page says so instead of an empty chart
    return Chart(chart_id, title, spec, head, rows)


def _warnings_chart(chart_id: str, qs: Any, today: dt.date) -> Chart:
    months, raised, resolved = s.warnings_by_month(qs, today)
    return _bar_chart(
        chart_id,
        _("近12个月预警产生与处理"),
        [_month_label(m) for m in months],
        [(_("产生"), raised), (_("处理"), resolved)],
        unit=_("条"),
        kinds=["bar", "line"],
    )


def waits_for(matter: Matter) -> str:
    """What a matter waits for, in words (for its submitter)."""
    state = matter.state
    if state == MatterState.SUBMITTED:
        if matter.requires_collective:
            return _("待提交班子集体会审")
        return _("待分管副职 %(name)s 审批") % {"name": matter.deputy.name}
    if state == MatterState.JOINT_REVIEW:
        return _("待执法会审小组表态")
    if state in (MatterState.COLLECTIVE_REVIEW, MatterState.VETOED):
        return _("待班子会议集体会审")
    if state == MatterState.AWAITING_COSIGN:
        missing = [c.signer.name for c in matter_selectors.cosigns_of(matter) if c.signed_at is None]
        return _("待会签：%(names)s") % {"names": "、".join(missing)}
    if state == MatterState.APPROVED:
        return _("已批准，待执行")
    return _("已办结")


def _analytics_tile(**scope: str) -> Tile:
    """The way to 成效分析 (analytics): latency before and after the reform, for the district or the unit."""
    return Tile(
        _("审批用时 · 改革前后对照"), _("成效分析"), _url("analytics:index", **scope), "", "analytics"
    )


def _monthly_reports_tile(person: Person, unit: Unit) -> Tile:
    """R-SUP-1: the unit's monthly financial detail reports this team member has not acknowledged; the link
    opens the latest of them (or the unit's reports when none waits)."""
    pending = supervision.awaiting_acknowledgement(person, unit)
    url = (
        reverse("supervision:report", args=[unit.code, pending[-1].month_code])
        if pending
        else reverse("supervision:unit_reports", args=[unit.code])
    )
    return Tile(_("待确认的月度财务明细"), len(pending), url, "warn" if pending else "", "monthly-reports")


def _to_answer_tile(person: Person, unit: Unit) -> Tile:
    """R-SUP-2: the unit's rectification items from inspection checks that wait for the team's answer;
    the link lists the same items (inspections.selectors.awaiting_answer_by)."""
    count = inspections.awaiting_answer_by(person, unit).count()
    url = _url("inspections:findings", to="answer", unit=unit.code)
    return Tile(_("待答复的整改事项"), count, url, "warn" if count else "", "rectify-answer")


def _risk_reviews_tile(person: Person, **scope: Any) -> Tile:
    """R-GATE-6: risk points whose review has lapsed or was required, or on whose power an incident came
    after the last review (riskregister.selectors.due_for_review, the register's own flag), in the unit or
    the district; the link opens the review list."""
    count = len(riskregister.due_for_review(person, **scope))
    return Tile(
        _("待复核的廉政风险点"),
        count,
        reverse("riskregister:reviews"),
        "warn" if count else "",
        "risk-reviews",
    )


def _tour_tiles(district: District, today: dt.date) -> list[Tile]:
    """R-GATE-5: the district's tour rectifications past their deadline and due soon (tours.selectors)."""
    qs = tours.of_district(district)
    overdue = tours.overdue(qs, today).count()
    soon = tours.due_soon(qs, district, today).count()
    url = reverse("tours:district", args=[district.code])
    return [
        Tile(_("巡察整改逾期"), overdue, url, "bad" if overdue else "", "tour-rectify-overdue"),
        Tile(_("巡察整改临期"), soon, url, "warn" if soon else "", "tour-rectify-soon"),
    ]


def _tour_unit_tile(unit: Unit, today: dt.date) -> Tile:
    """R-GATE-5: the unit's tour rectifications not yet closed — red when one is past its deadline; the
    link lists them with the answer form (tours:unit)."""
    qs = tours.of_unit(unit)
    open_count = qs.exclude(state="accepted").count()
    late = tours.overdue(qs, today).exists()
    tone = "bad" if late else ("warn" if open_count else "")
    return Tile(
        _("巡察整改未销号"), open_count, reverse("tours:unit", args=[unit.code]), tone, "tour-rectify"
    )


# ---------------------------------------------------------------- per role


def commission_admin(person: Person, district: District, ctx: Context) -> Section:
    """纪委管理员: open warnings by level and unit; late and missing plans; the longest waits for one
    signer; open meetings and matters awaiting collective review — all in the district."""
    sec = Section(
        "commission_admin",
        _("纪委管理员 · %(district)s") % {"district": district.name},
        f"admin-{district.code}",
    )
    warnings = ctx.warnings.filter(unit__district=district)
    counts = s.warning_counts(warnings)
    for level in LEVELS:
        sec.tiles.append(
            Tile(
                _("%(level)s级预警（待处理）") % {"level": label("risk.level", level)},
                counts.by_level.get(level, 0),
                _url("risk:index", status=WarningStatus.OPEN, level=level),
                "bad" if level == Level.HIGH else "warn",
                f"warnings-{level}",
            )
        )
    deadline, board = s.filing(person, district)
    late = [r for r in board if r["status"] == "late"]
    missing = [r for r in board if r["status"] == "missing"]
    sec.tiles.append(
        Tile(
            _("分工方案逾期报送"),
            len(late),
            _url("powers:board", district.code, status="late"),
            "warn",
            "plans-late",
        )
    )
    sec.tiles.append(
        Tile(
            _("分工方案未报送"),
            len(missing),
            _url("powers:board", district.code, status="missing"),
            "bad",
            "plans-missing",
        )
    )
    matters = ctx.matters.filter(unit__district=district)
    open_meetings = s.open_meetings(person).filter(unit__district=district)
    meetings = list(open_meetings[:10])
    collective = s.awaiting_collective(matters)
    collective_by_unit = s.counts_by_unit(collective)
    sec.tiles.append(
        Tile(_("进行中的会议"), open_meetings.count(), f"#meetings-{district.code}", "", "meetings-open")
    )
    unacknowledged, overdue = supervision.unacknowledged_in(district, ctx.today)
    sec.tiles.append(
        Tile(
            _("未全部确认的月度财务明细"),
            unacknowledged,
            reverse("supervision:district_month_latest", args=[district.code]),
            "bad" if overdue else ("warn" if unacknowledged else ""),
            "monthly-reports-open",
        )
    )
    overdue_items = inspections.overdue(ctx.today).filter(inspection__unit__district=district).count()
    sec.tiles.append(
        Tile(
            _("逾期整改"),
            overdue_items,
            _url("inspections:findings", status="overdue", district=district.code),
            "bad" if overdue_items else "",
            "rectify-overdue",
        )
    )
    sec.tiles.append(
        Tile(
            _("待集体会审事项"),
            sum(n for _u, _name, n in collective_by_unit),
            "#" + f"collective-{district.code}",
            "warn",
            "collective",
        )
    )
    to_verify = checkup.awaiting_verification(person, district)
    sec.tiles.append(
        Tile(
            _("待核实的廉情申报"),
            to_verify,
            reverse("checkup:index"),
            "warn" if to_verify else "",
            "checkup-queue",
        )
    )
    to_mark = checkup.awaiting_marking(person, district).count()
    sec.tiles.append(
        Tile(
            _("待评阅的在线考试"),
            to_mark,
            reverse("checkup:index") + "#marking",
            "warn" if to_mark else "",
            "checkup-marking",
        )
    )
    desk = reports.desk(person, district, ctx.today)
    sec.tiles.extend(_report_tiles(desk, district))
    sec.tiles.append(_risk_reviews_tile(person, unit__district=district))
    sec.tiles.extend(_tour_tiles(district, ctx.today))
    sec.tiles.append(_analytics_tile(district=district.code))
    now = clock.now()
    waits = s.longest_waits(matters, now)
    signers = s.waits_by_signer(matters, now)
    sec.panels = {
        "district": district,
        "warnings_by_unit": [
            {**u, "url": _url("risk:index", status=WarningStatus.OPEN, unit=u["unit"])}
            for u in counts.by_unit
        ],
        "deadline": deadline,
        "late_or_missing": [
            {
                "unit": r["unit"],
                "status": r["status"],
                "label": label("powers.filing", r["status"]),
                "plan": r["plan"],
            }
            for r in late + missing
        ],
        "waits": [_wait_row(w) for w in waits],
        "slowest": [
            {"matter": m, "url": reverse("matters:detail", args=[m.pk]), "days": days}
            for m, days in s.slowest_decisions(matters, ctx.today)
        ],
        "meetings": [_meeting_row(m) for m in meetings],
        "collective": [
            {
                "unit": code,
                "name": name,
                "count": n,
                "url": _url("matters:unit", code, awaiting="collective"),
            }
            for code, name, n in collective_by_unit
        ],
    }
    top = signers[:10]
    sec.charts.append(
        _bar_chart(
            f"chart-waits-{district.code}",
            _("等待签字最久的人（天）"),
            [_signer_label(w) for w in top],
            [(_("最长等待天数"), [w.longest_days for w in top])],
            unit=_("天"),
            horizontal=True,
        )
    )
    sec.charts.append(_warnings_chart(f"chart-warnings-{district.code}", warnings, ctx.today))
    sec.charts.append(_report_chart(desk, district))
    return sec


def _report_tiles(desk: reports.Desk, district: District) -> list[Tile]:
    """信访举报 (R-SUP-3) as counts only: reports to triage, reporters who answered, cases overdue and due
    soon — over what the person may see (never a report that concerns them: reports.desk)."""

    def url(**query: str) -> str:
        return _url("reports:index", district=district.code, **query)

    return [
        Tile(
            _("待分办的举报"),
            desk.untriaged,
            url(view="untriaged"),
            "bad" if desk.late else ("warn" if desk.untriaged else ""),
            "reports-untriaged",
        ),
        Tile(
            _("举报人新回复"),
            desk.answered,
            url(view="answered"),
            "warn" if desk.answered else "",
            "reports-answered",
        ),
        Tile(
            _("逾期的举报案件"),
            desk.overdue,
            url(tab="cases", view="overdue"),
            "bad" if desk.overdue else "",
            "cases-overdue",
        ),
        Tile(
            _("临近期限的举报案件"),
            desk.due_soon,
            url(tab="cases", view="due_soon"),
            "warn" if desk.due_soon else "",
            "cases-due-soon",
        ),
    ]


def _report_chart(desk: reports.Desk, district: District) -> Chart:
    return _bar_chart(
        f"chart-report-outcomes-{district.code}",
        _("近12个月举报案件办结结果"),
        [str(Outcome(code).label) for code, _n in desk.by_outcome],
        [(_("件数"), [n for _code, n in desk.by_outcome])],
        unit=_("件"),
    )


def _wait_row(w: s.Wait) -> dict[str, Any]:
    return {
        "matter": w.matter,
        "url": reverse("matters:detail", args=[w.matter.pk]),
        "signers": "、".join(p.name for p in w.signers),
        "kind": _("审批") if w.kind == "decision" else _("会签"),
        "days": w.days,
        "since_label": _("自提交起") if w.kind == "decision" else _("自决定起"),
        "since": w.since,
        "state": label("matter.state", w.matter.state),
    }


def _signer_label(w: s.SignerWait) -> str:
    kind = _("审批") if w.kind == "decision" else _("会签")
    return _("%(name)s（%(kind)s %(count)s 件）") % {"name": w.name, "kind": kind, "count": w.count}


def _meeting_row(m: Any, extra: int | None = None) -> dict[str, Any]:
    return {
        "meeting": m,
        "url": reverse("meetings:room", args=[m.pk]),
        "kind": label("meeting.kind", m.kind),
        "extra": extra,
    }


def _state_tiles(
    unit: Unit, counts: dict[str, int], states: list[str], prefix: str = "", **query: str
) -> list[Tile]:
    return [
        Tile(
            label("matter.state", st),
            counts.get(st, 0),
            _url("matters:unit", unit.code, state=st, **query),
            "warn"
            if st in (MatterState.VETOED, MatterState.COLLECTIVE_REVIEW, MatterState.AWAITING_COSIGN)
            else "",
            f"{prefix}state-{st}",
        )
        for st in states
    ]


def principal(person: Person, unit: Unit, ctx: Context) -> Section:
    """一把手: the unit at a glance — matters by state and by deputy, what awaits the team, meetings to
    chair, vetoes issued. Never the warnings about themself (SPEC §1)."""
    sec = Section("principal", _("一把手 · %(unit)s") % {"unit": unit.name}, f"principal-{unit.code}")
    matters = ctx.matters.filter(unit=unit)
    counts = s.counts_by_state(matters)
    sec.tiles = _state_tiles(
        unit,
        counts,
        [MatterState.SUBMITTED, MatterState.JOINT_REVIEW, MatterState.AWAITING_COSIGN, MatterState.VETOED],
    )
    awaiting = s.awaiting_collective(matters)
    awaiting_count = awaiting.count()
    sec.tiles.append(
        Tile(
            _("待班子集体会审"),
            awaiting_count,
            reverse("meetings:unit", args=[unit.code]),
            "warn" if awaiting_count else "",
            "awaiting",
        )
    )
    veto_count, vetoes = s.vetoes_by(person, matters)
    sec.tiles.append(
        Tile(
            _("我发出的否决"),
            veto_count,
            _url("matters:unit", unit.code, vetoed_by="me"),
            "",
            "vetoes",
        )
    )
    sec.tiles.append(_monthly_reports_tile(person, unit))
    sec.tiles.append(_to_answer_tile(person, unit))
    sec.tiles.append(_tour_unit_tile(unit, ctx.today))
    sec.tiles.append(_analytics_tile(unit=unit.code))
    meetings = list(s.open_meetings(person, unit)[:10])
    items = s.item_counts(meetings)
    year = matters.filter(submitted_at__gte=clock.at(s.months_back(ctx.today)[0], 0))
    deputies = s.by_deputy(year)
    series = s.monthly(matters, ctx.today, per_deputy=True)
    sec.panels = {
        "unit": unit,
        "awaiting": list(awaiting.select_related("deputy").order_by("submitted_at", "pk")[:8]),
        "awaiting_count": awaiting_count,
        "convene_url": reverse("meetings:unit", args=[unit.code]),
        "meetings": [
            {**_meeting_row(m, items.get(m.pk, 0)), "chair": m.chair_id == person.pk} for m in meetings
        ],
        "deputies": [
            {"d": d, "amount": yuan(d.amount), "url": _url("matters:unit", unit.code, deputy=d.username)}
            for d in deputies
        ],
        "vetoes": vetoes,
        "total": sum(counts.values()),
        "all_url": reverse("matters:unit", args=[unit.code]),
    }
    months = [_month_label(m) for m in series.months]
    for chart, title, per_deputy, unit_name, cell in (
        ("deputies", _("近12个月事项金额（按分管副职，元）"), series.amounts, _("元"), yuan),
        ("deputy-counts", _("近12个月事项件数（按分管副职）"), series.counts, _("件"), str),
    ):
        sec.charts.append(
            _bar_chart(
                f"chart-{chart}-{unit.code}",
                title,
                months,
                [(k, per_deputy[k]) for k in series.keys],
                unit=unit_name,
                stack=True,
                cell=cell,
            )
        )
    return sec


# What a matter in someone's inbox needs from them, from the matter page's own buttons (rules.actions_for):
# the first action they may take, in this order.
NEXT_STEP = (
    ("cosign", _lazy("会签")),
    ("approve", _lazy("审批")),
    ("refer", _lazy("提交集体会审")),
    ("joint_review", _lazy("发表执法会审意见")),
)


def next_step(actions: dict[str, bool]) -> str:
    """The step the person may take now on the matter (its page's buttons), in words."""
    return next((str(text) for action, text in NEXT_STEP if actions.get(action)), _("待他人办理"))


def _signatures(person: Person, unit: Unit, ctx: Context) -> tuple[list[Matter], list[Matter], list[Any]]:
    """What waits for the person's signature in the unit (matters.selectors.inbox_of, as /matters/inbox/):
    the matters they decide, the co-signatures asked of them, and the rows of the list — each with the step
    the matter page offers them (rules.actions_for) and how long it has waited on it
    (matters.selectors.waiting, as the inbox). Four queries plus the Viewer's, whatever the count."""
    inbox = matter_selectors.with_relations(ctx.inbox.filter(unit=unit)[:50])
    decide = [m for m in inbox if m.deputy_id == person.pk and m.state != MatterState.AWAITING_COSIGN]
    cosign = [m for m in inbox if m.state == MatterState.AWAITING_COSIGN]
    now = clock.now()
    rows = []
    for m in inbox:
        if m not in decide and m not in cosign:
            continue
        waited = matter_selectors.waiting(m, now)
        rows.append(
            {
                "matter": m,
                "url": reverse("matters:detail", args=[m.pk]),
                "kind": next_step(matter_rules.actions_for(ctx.viewer, m)),
                "days": waited.days,
                "since": waited.since_label,
                "state": label("matter.state", m.state),
            }
        )
    return decide, cosign, rows[:10]


def deputy(person: Person, unit: Unit, ctx: Context) -> Section:
    """副职: the inbox (matters awaiting my decision), co-signatures waiting for me, meetings where I must
    state, my powers and their budget lines."""
    sec = Section("deputy", _("副职 · %(unit)s") % {"unit": unit.name}, f"deputy-{unit.code}")
    decide, cosign, inbox_rows = _signatures(person, unit, ctx)
    inbox_url = reverse("matters:inbox")
    sec.tiles.append(Tile(_("待我审批"), len(decide), inbox_url, "warn" if decide else "", "inbox-decide"))
    sec.tiles.append(Tile(_("待我会签"), len(cosign), inbox_url, "warn" if cosign else "", "inbox-cosign"))
    sec.tiles.append(_monthly_reports_tile(person, unit))
    sec.tiles.append(_to_answer_tile(person, unit))
    meetings = list(s.open_meetings(person, unit)[:10])
    to_state = s.items_to_state(person, meetings)
    sec.tiles.append(
        Tile(
            _("待我表态的议题"),
            sum(to_state.values()),
            reverse("meetings:unit", args=[unit.code]),
            "warn" if to_state else "",
            "to-state",
        )
    )
    powers = s.powers_of(person, unit)
    mine = ctx.matters.filter(unit=unit, deputy=person)
    sec.tiles.append(
        Tile(
            _("我分管的事项"),
            mine.count(),
            _url("matters:unit", unit.code, deputy=person.username),
            "",
            "mine",
        )
    )
    series = s.monthly(mine, ctx.today, per_deputy=False)
    sec.panels = {
        "unit": unit,
        "inbox": inbox_rows,
        "meetings": [_meeting_row(m, to_state.get(m.pk, 0)) for m in meetings if to_state.get(m.pk)],
        "powers": powers,
        "catalogue_url": reverse("powers:catalogue", args=[unit.code]),
        "lines": [
            {
                **row,
                "total": yuan(row["total"]),
                "remaining": yuan(row["line"].remaining),
                "amount": yuan(row["line"].amount),
            }
            for row in s.budget_lines_of(person, unit, ctx.matters, ctx.today)
        ],
        "budget_url": reverse("matters:budget", args=[unit.code]),
    }
    sec.charts.append(
        _bar_chart(
            f"chart-mine-{unit.code}",
            _("近12个月我分管的事项金额（元）"),
            [_month_label(m) for m in series.months],
            [(_("金额"), series.amounts[""]), (_("件数"), series.counts[""])],
            unit=_("元"),
            kinds=["bar", "line"],
            dual=True,
            cell=str,
        )
    )
    return sec


def inspector(person: Person, unit: Unit, ctx: Context) -> Section:
    """纪检组长: the unit's warnings, meetings to attend, matters in joint review, and what the principal
    attempted (RF1)."""
    sec = Section("inspector", _("纪检组长 · %(unit)s") % {"unit": unit.name}, f"inspector-{unit.code}")
    warnings = ctx.warnings.filter(unit=unit)
    counts = s.warning_counts(warnings)
    sec.tiles.append(
        Tile(
            _("待处理预警"),
            counts.open_total,
            _url("risk:index", status=WarningStatus.OPEN, unit=unit.code),
            "bad" if counts.open_total else "",
            "warnings-open",
        )
    )
    sec.tiles.append(
        Tile(
            _("其中高级"),
            counts.by_level.get(Level.HIGH, 0),
            _url("risk:index", status=WarningStatus.OPEN, unit=unit.code, level=Level.HIGH),
            "bad",
            "warnings-high",
        )
    )
    sec.tiles.append(
        Tile(
            _("一把手越权尝试（RF1）"),
            counts.rf1_total,
            _url("risk:index", unit=unit.code, rule="RF1"),
            "bad" if counts.rf1_total else "",
            "rf1",
        )
    )
    matters = ctx.matters.filter(unit=unit)
    joint = s.in_joint_review(matters)
    sec.tiles.append(
        Tile(
            _("执法会审中的事项"),
            joint.count(),
            _url("matters:unit", unit.code, state=MatterState.JOINT_REVIEW),
            "warn",
            "joint",
        )
    )
    collective = s.awaiting_collective(matters)
    sec.tiles.append(
        Tile(
            _("待集体会审事项"),
            collective.count(),
            _url("matters:unit", unit.code, awaiting="collective"),
            "warn",
            "collective",
        )
    )
    _decide, cosign, cosign_rows = _signatures(person, unit, ctx)
    sec.tiles.append(
        Tile(_("待我会签"), len(cosign), reverse("matters:inbox"), "warn" if cosign else "", "inbox-cosign")
    )
    sec.tiles.append(_monthly_reports_tile(person, unit))
    sec.tiles.append(_to_answer_tile(person, unit))
    sec.tiles.append(_risk_reviews_tile(person, unit=unit))
    sec.tiles.append(_tour_unit_tile(unit, ctx.today))
    sec.tiles.append(_analytics_tile(unit=unit.code))
    meetings = list(s.open_meetings(person, unit)[:10])
    items = s.item_counts(meetings)
    sec.panels = {
        "unit": unit,
        "inbox": cosign_rows,
        "rf1": s.latest_warnings(warnings, rule="RF1"),
        "latest": [
            {"w": w, "level": label("risk.level", w.level), "status": label("risk.status", w.status)}
            for w in s.latest_warnings(warnings.filter(status=WarningStatus.OPEN))
        ],
        "meetings": [_meeting_row(m, items.get(m.pk, 0)) for m in meetings],
        "joint": list(joint.select_related("deputy").order_by("submitted_at", "pk")[:5]),
        "warnings_url": _url("risk:index", unit=unit.code),
    }
    # What the inspector supervises month by month, whether or not anything was flagged: the matters
    # submitted and the meetings held (both of which they may attend to).
    series = s.monthly(matters, ctx.today, per_deputy=False)
    sec.charts.append(
        _bar_chart(
            f"chart-activity-{unit.code}",
            _("近12个月本单位事项与会议"),
            [_month_label(m) for m in series.months],
            [
                (_("提交的事项（件）"), series.counts[""]),
                (_("召开的会议（场）"), s.meetings_by_month(s.unit_meetings(person, unit), ctx.today)),
            ],
            unit=_("件/场"),
            kinds=["bar", "line"],
        )
    )
    sec.charts.append(_warnings_chart(f"chart-warnings-{unit.code}", warnings, ctx.today))
    return sec


def staff(person: Person, unit: Unit, ctx: Context) -> Section:
    """经办人: my matters and what each waits for."""
    sec = Section("staff", _("经办人 · %(unit)s") % {"unit": unit.name}, f"staff-{unit.code}")
    own = s.submitted_by(ctx.matters.filter(unit=unit), person)
    counts = s.counts_by_state(own)
    open_count = s.submitted_by(ctx.matters.filter(unit=unit), person, open_only=True).count()
    sec.tiles.append(
        Tile(_("我在办的事项"), open_count, _url("matters:unit", unit.code, mine=1, open=1), "", "open")
    )
    sec.tiles += _state_tiles(
        unit,
        counts,
        [
            MatterState.SUBMITTED,
            MatterState.AWAITING_COSIGN,
            MatterState.COLLECTIVE_REVIEW,
            MatterState.APPROVED,
        ],
        "mine-",
        mine="1",
    )
    rows = s.my_matters(ctx.matters.filter(unit=unit), person)
    sec.panels = {
        "unit": unit,
        "rows": [
            {
                "matter": m,
                "url": reverse("matters:detail", args=[m.pk]),
                "state": label("matter.state", m.state),
                "waits": waits_for(m),
                "amount": yuan(m.amount) if m.amount is not None else "—",
            }
            for m in rows
        ],
        "submit_url": reverse("matters:submit", args=[unit.code]),
    }
    shown = [st for st in STATE_ORDER if counts.get(st)]
    sec.charts.append(
        _bar_chart(
            f"chart-my-states-{unit.code}",
            _("我的事项按状态"),
            [label("matter.state", st) for st in shown],
            [(_("件数"), [counts[st] for st in shown])],
            unit=_("件"),
            horizontal=True,
        )
    )
    return sec


def inspection(person: Person, district: District, ctx: Context) -> Section:
    """督察组: the units the group may check, its checks under way and the answers to accept, and the open
    meetings it may walk into (R-SUP-2)."""
    sec = Section(
        "inspection", _("督察组 · %(district)s") % {"district": district.name}, f"inspection-{district.code}"
    )
    qs = s.observable(person, district)
    meetings = list(qs[:20])
    observed = s.observed_ids(person, meetings)
    per_unit = s.open_meetings_per_unit(qs)
    units = s.units_of(district)
    inspection_url = reverse("meetings:inspection")
    sec.tiles.append(Tile(_("可督察单位"), len(units), "#" + f"units-{district.code}", "", "units"))
    sec.tiles.append(
        Tile(
            _("可列席的进行中会议"),
            sum(per_unit.values()),
            inspection_url,
            "warn" if per_unit else "",
            "observable",
        )
    )
    checks = inspections.list_inspections_for(person).filter(unit__district=district)
    running = checks.filter(closed_at__isnull=True, expires_at__gt=clock.now()).count()
    sec.tiles.append(
        Tile(
            _("进行中的检查"),
            running,
            _url("inspections:list", state="open", district=district.code),
            "",
            "checks-open",
        )
    )
    to_accept = inspections.awaiting_acceptance_by(person).filter(inspection__unit__district=district).count()
    sec.tiles.append(
        Tile(
            _("待验收的整改"),
            to_accept,
            _url("inspections:findings", to="accept", district=district.code),
            "warn" if to_accept else "",
            "rectify-accept",
        )
    )
    sec.panels = {
        "district": district,
        "units": [{"unit": u, "open": per_unit.get(u.pk, 0)} for u in units],
        "meetings": [
            {
                **_meeting_row(m),
                "observed": m.pk in observed,
                "observe_url": reverse("meetings:observe", args=[m.pk]),
            }
            for m in meetings
        ],
        "inspection_url": inspection_url,
    }
    with_open = [u for u in units if per_unit.get(u.pk)]
    sec.charts.append(
        _bar_chart(
            f"chart-observable-{district.code}",
            _("各单位进行中的会议"),
            [u.name for u in with_open],
            [(_("会议数"), [per_unit[u.pk] for u in with_open])],
            unit=_("场"),
            horizontal=True,
        )
    )
    return sec


# ---------------------------------------------------------------- the page


@dataclass
class Context:
    """What every section shares, read once per page."""

    today: dt.date
    vis: Visibility
    roles: s.Roles
    warnings: Any
    matters: Any
    inbox: Any
    viewer: Viewer  # the matter pages' buttons (rules.actions_for), read once for the page


def build(person: Person) -> tuple[s.Roles, list[Section]]:
    """Every section of the person's 工作台, in a fixed order: district roles first, then each unit term."""
    roles = s.roles_of(person)
    viewer = Viewer(person)
    vis = viewer.visibility()
    ctx = Context(
        today=clock.today(),
        vis=vis,
        roles=roles,
        warnings=s.warnings_for(person, roles),
        matters=s.visible(vis),
        inbox=s.inbox(person),
        viewer=viewer,
    )
    sections: list[Section] = []
    for district in roles.districts_as(s.DISTRICT_ADMIN):
        sections.append(commission_admin(person, district, ctx))
    for district in roles.districts_as(s.DISTRICT_INSPECTION):
        sections.append(inspection(person, district, ctx))
    builders = {Role.PRINCIPAL: principal, Role.DEPUTY: deputy, Role.INSPECTOR: inspector, Role.STAFF: staff}
    first_term = len(sections)
    for term in roles.terms:
        builder = builders.get(Role(term.role))
        if builder is not None:
            sections.append(builder(person, term.unit, ctx))
    for mine in (_my_checkup_tile(person), _my_exam_tile(person)):
        if mine is not None and sections:  # once, in the first unit section (else the last district one)
            sections[first_term if len(sections) > first_term else -1].tiles.append(mine)
    return roles, sections


def _my_exam_tile(person: Person) -> Tile | None:
    """A paper the commission drew for the person waits for them to sit it online (R-GATE-1)."""
    paper = checkup.paper_to_sit(person)
    if paper is None:
        return None
    return Tile(
        _("待参加的任前廉政考试"), 1, reverse("checkup:person", args=[person.username]), "warn", "my-exam"
    )


def _my_checkup_tile(person: Person) -> Tile | None:
    """A candidate's checklist (R-MTG-5): shown once the person's check-up has begun (an exam, a
    declaration or an opinion), counting the gates still open; the link is their check-up page."""
    if not checkup.has_begun(person):
        return None
    unmet = checkup.prerequisites(person)
    return Tile(
        _("我的廉政体检：尚未齐备的项"),
        len(unmet),
        reverse("checkup:person", args=[person.username]),
        "warn" if unmet else "ok",
        "my-checkup",
    )
