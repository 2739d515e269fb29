"""Step 3: budget lines, matter rules and a year of matters per demo unit, through the services (R-MAT).

Every unit gets three budget lines, a legal officer (R-MAT-7), a handful of small expenditures and
purchases decided by the deputy in charge across HISTORY_START..HISTORY_END, and open matters today:
a small finance matter under threshold waiting for its deputy (API acceptance), a ¥60,000-ish
expenditure waiting for collective review (the meetings step's agenda pool), and a purchase waiting.
The seed's stories:
- 南城街道 nc-ncjd: the computer-supplies vendor waits months for one signature under a busy deputy,
  then, after the reform took hold, the same kind of matter is signed within a day;
  and the subdistrict head once tries to sign a finance matter himself (refused, RF1).
- 水务局 nc-swj: the dam and the weir (~¥100万+ each), submitted after the 2026-02-25 adjustment gave
  construction to deputy 1; they wait in collective review for the meetings step.
- 环保局 nc-hbj: the ¥2.96亿 financing deal: major, collective review, then co-sign (R-MAT-4).
- 房管局 jb-fgj: major purchases ≥ ¥200,000 that need co-signing after the meeting; one vetoed.
Who decides is always asked of powers (deputy_in_charge), never hard-coded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.core.errors import Forbidden
from zhiheng.matters import services
from zhiheng.matters.services import budget
from zhiheng.powers.selectors import get_power

from ..context import HISTORY_END, HISTORY_START, YEAR, DemoContext

LINES = (
    ("office", "办公经费", "800000.00"),
    ("equipment", "设备购置", "3000000.00"),
    ("project", "专项工程经费", "60000000.00"),
)
VENDORS = (
    "渝新文具有限公司",
    "山城电脑耗材经营部",
    "重庆宏远办公设备有限公司",
    "江南印务有限公司",
    "巴渝物业服务公司",
)
SMALL = (
    ("finance", "office", "支付办公场所水电费", 8000, 30000),
    ("procurement", "equipment", "采购办公电脑及打印机", 12000, 45000),
    ("finance", "office", "报销下乡调研差旅费", 1500, 9000),
    ("procurement", "office", "采购办公耗材（纸张、硒鼓）", 2000, 15000),
)

Step = tuple[dt.datetime, int, Callable[[], None]]


class Script:
    """Collects dated steps of every unit, then replays them in time order (so the ledger's times rise)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.matters: dict[str, object] = {}

    def at(self, day: dt.date, hour: int, fn: Callable[[], None]) -> None:
        self.steps.append((clock.at(day, hour), len(self.steps), fn))

    def run(self) -> None:
        for moment, _seq, fn in sorted(self.steps, key=lambda s: (s[0], s[1])):
            with clock.frozen(moment):
                fn()


def _submit(script: Script, key: str, team, power: str, *, by=None, **kw) -> Callable[[], None]:
    def go() -> None:
        unit = team.unit
        line = kw.pop("line", None)
        line_obj = unit.budget_lines.get(code=line) if line else None
        script.matters[key] = services.submit(
            by=by or team.staff[0], unit=unit, power=get_power(unit, power), budget_line=line_obj, **kw
        )

    return go


def _act(script: Script, key: str, action: str, who: Callable[[object], object], **kw) -> Callable[[], None]:
    def go() -> None:
        matter = script.matters[key]
        getattr(services, action)(matter=matter, by=who(matter), **kw)

    return go


def _deputy(matter):
    return matter.deputy


def _submit_for_collective(
    script: Script, key: str, team, power: str, day: dt.date, *, reason: str, days_later: int = 1, **kw
) -> None:
    """A matter submitted on `day` that its deputy refers to collective review (R-MAT-3) `days_later` on."""
    script.at(day, 9, _submit(script, key, team, power, **kw))
    script.at(
        day + dt.timedelta(days=days_later),
        10,
        _act(script, key, "refer_to_collective", _deputy, reason=reason),
    )


def _unit_history(ctx: DemoContext, script: Script, code: str) -> None:
    team = ctx.teams[code]
    rng = ctx.rng
    span = (HISTORY_END - HISTORY_START).days - 20
    for i in range(5):
        power, line, title, low, high = SMALL[i % len(SMALL)]
        day = HISTORY_START + dt.timedelta(days=rng.randrange(0, span))
        wait = rng.choice((1, 2, 3, 5, 8))
        amount = f"{rng.randrange(low, high)}.00"
        key = f"{code}-h{i}"
        staff = team.staff[i % 2]
        script.at(
            day,
            9,
            _submit(
                script,
                key,
                team,
                power,
                by=staff,
                title=title,
                amount=amount,
                counterparty=rng.choice(VENDORS),
                line=line,
            ),
        )
        script.at(
            day + dt.timedelta(days=wait),
            15,
            _act(script, key, "approve", _deputy, comment="同意，按规定执行。"),
        )
        if i % 3 != 2:
            script.at(
                day + dt.timedelta(days=wait + 2),
                10,
                _act(script, key, "execute", lambda m: m.submitted_by, note="已支付，凭证入账。"),
            )
    # Open today: what the inboxes and the API acceptance checks find.
    end = HISTORY_END
    script.at(
        end - dt.timedelta(days=6),
        10,
        _submit(
            script,
            f"{code}-open-small",
            team,
            "finance",
            title="支付办公耗材货款",
            amount="4800.00",
            counterparty="山城电脑耗材经营部",
            line="office",
        ),
    )
    script.at(
        end - dt.timedelta(days=4),
        11,
        _submit(
            script,
            f"{code}-open-purchase",
            team,
            "procurement",
            by=team.staff[1],
            title="采购会议室投影设备",
            amount="26800.00",
            counterparty="重庆宏远办公设备有限公司",
            line="equipment",
        ),
    )
    script.at(
        end - dt.timedelta(days=2),
        9,
        _submit(
            script,
            f"{code}-open-collective",
            team,
            "finance",
            title="机关食堂改造费用",
            amount="68000.00",
            counterparty="巴渝物业服务公司",
            line="project",
        ),
    )


def _ncjd(ctx: DemoContext, script: Script) -> None:
    """南城街道: a vendor waits months for one signature; later matters are signed within a day."""
    team = ctx.teams["nc-ncjd"]
    script.at(
        HISTORY_START + dt.timedelta(days=1),
        9,
        _submit(
            script,
            "ncjd-vendor",
            team,
            "procurement",
            title="电脑耗材货款结算（供应商多次上门催办）",
            amount="18600.00",
            counterparty="山城电脑耗材经营部",
            line="equipment",
            description="供应商为一个签字先后跑了二十趟。",
        ),
    )
    script.at(
        dt.date(YEAR, 3, 20), 16, _act(script, "ncjd-vendor", "approve", _deputy, comment="补签，同意结算。")
    )
    script.at(dt.date(YEAR, 3, 23), 10, _act(script, "ncjd-vendor", "execute", lambda m: m.submitted_by))
    for i, day in enumerate((dt.date(YEAR, 4, 8), dt.date(YEAR, 5, 12), dt.date(YEAR, 6, 3))):
        key = f"ncjd-fast{i}"
        script.at(
            day,
            9,
            _submit(
                script,
                key,
                team,
                "procurement",
                title="电脑耗材采购",
                amount=f"{9200 + 800 * i}.00",
                counterparty="山城电脑耗材经营部",
                line="equipment",
            ),
        )
        script.at(day, 15, _act(script, key, "approve", _deputy, comment="同意。"))
    script.at(
        dt.date(YEAR, 4, 15),
        9,
        _submit(
            script,
            "ncjd-rf1",
            team,
            "finance",
            title="街道宣传栏制作费",
            amount="7600.00",
            counterparty="江南印务有限公司",
            line="office",
        ),
    )

    def principal_tries() -> None:
        with contextlib.suppress(Forbidden):  # refused (R-MAT-2); the attempt stays on record as RF1
            services.approve(matter=script.matters["ncjd-rf1"], by=team.principal, comment="我来签")

    script.at(dt.date(YEAR, 4, 15), 11, principal_tries)
    script.at(dt.date(YEAR, 4, 16), 9, _act(script, "ncjd-rf1", "approve", _deputy, comment="同意。"))


def _swj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-swj"]
    for key, title, amount, day in (
        ("swj-dam", "白沙水库大坝除险加固工程施工合同", "1280000.00", dt.date(YEAR, 3, 2)),
        ("swj-weir", "龙溪河拦河堰工程施工合同", "1060000.00", dt.date(YEAR, 3, 9)),
    ):
        _submit_for_collective(
            script,
            key,
            team,
            "construction",
            day,
            reason="重大项目，提请党组会集体研究",
            title=title,
            amount=amount,
            counterparty="重庆水利建设工程有限公司",
            line="project",
            major=True,
        )


def _hbj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["nc-hbj"]
    _submit_for_collective(
        script,
        "hbj-financing",
        team,
        "finance",
        dt.date(YEAR, 5, 18),
        reason="三重一大，提请集体会审",
        days_later=2,
        title="污水处理厂建设项目融资协议",
        amount="296000000.00",
        counterparty="国开行重庆分行",
        line="financing",
        major=True,
        description="项目融资2.96亿元，由分管副局长签批。",
    )


def _fgj(ctx: DemoContext, script: Script) -> None:
    team = ctx.teams["jb-fgj"]
    for key, title, amount, day in (
        ("fgj-lift", "公租房电梯更新采购", "380000.00", dt.date(YEAR, 6, 10)),
        ("fgj-archive", "房产档案数字化采购", "260000.00", dt.date(YEAR, 7, 6)),
        ("fgj-car", "执法车辆采购", "230000.00", dt.date(YEAR, 8, 3)),
    ):
        _submit_for_collective(
            script,
            key,
            team,
            "procurement",
            day,
            reason="达到会审标准",
            title=title,
            amount=amount,
            counterparty="重庆宏远办公设备有限公司",
            line="equipment",
        )
    script.at(
        dt.date(YEAR, 8, 4),
        15,
        _act(
            script,
            "fgj-car",
            "veto",
            lambda m: team.principal,
            reason="车辆编制未经批准，暂缓采购，提交班子集体研究。",
        ),
    )


def build(ctx: DemoContext) -> None:
    with clock.frozen(clock.at(HISTORY_START - dt.timedelta(days=1), 9)):
        for code, unit in ctx.units.items():
            admin = ctx.admins[unit.district.code]
            for line_code, name, amount in LINES:
                budget.set_budget_line(
                    by=admin, unit=unit, code=line_code, name=name, amount=amount, year=YEAR
                )
            # Through the service: the district's admin names the legal officer (R-MAT-7), a ledger act.
            parameters.set_values(
                "matters", by=admin, unit=unit, values={"legal_officer": ctx.teams[code].legal_officer}
            )
        budget.set_budget_line(
            by=ctx.admins["nanchuan"],
            unit=ctx.units["nc-hbj"],
            code="financing",
            name="污水处理项目融资",
            amount=str(Decimal("300000000.00")),
            year=YEAR,
        )
    script = Script()
    for code in ctx.units:
        _unit_history(ctx, script, code)
    _ncjd(ctx, script)
    _swj(ctx, script)
    _hbj(ctx, script)
    _fgj(ctx, script)
    script.run()
