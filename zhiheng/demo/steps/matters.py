"""Step 3: budget lines, matter rules and a year of matters per demo unit, through the services (R-MAT).

Every unit gets three budget lines, a legal officer (R-MAT-7), a handful of small expenditures and
purchases decided by the deputy in charge across HISTORY_START..HISTORY_END, and open matters today:
a small finance matter under threshold waiting for its deputy (API acceptance), an expenditure of
¥50,000 or more waiting for collective review (the meetings' agenda pool), and a purchase waiting.
Titles come from what each unit does (business.py) and amounts are drawn so that no (title, amount)
pair repeats anywhere in the demo.
The seed's story told here:
- 南城街道 nc-ncjd: the computer-supplies vendor waits months for one signature under a busy deputy,
  then, after the reform took hold, the same kind of matter is signed within a day;
  and the subdistrict head once tries to sign a finance matter herself (refused, RF1).
The stories that run through meetings (环保局, 房管局, 水务局, 发改委, 教委, 卫生局, …) are in stories.py.
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

from ..business import COLLECTIVE, COLLECTIVE_UNIT, UNIT_POOLS, Amounts, fill, pool_of
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
    "重庆两江信息技术有限公司",
    "重庆嘉陵建筑劳务有限公司",
    "南山园林绿化工程有限公司",
    "渝中医疗器械有限公司",
    "重庆长江检测技术有限公司",
    "綦江百货商行",
    "重庆山水环境科技有限公司",
)

Step = tuple[dt.datetime, int, Callable[[], None]]


class Script:
    """Collects dated steps of every unit, then replays them in time order (so the ledger's times rise)."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.matters: dict[str, object] = {}

    def at(self, day: dt.date, hour: int, fn: Callable[[], None]) -> None:
        self.steps.append((clock.at(day, hour), len(self.steps), fn))

    def submit(self, day: dt.date, key: str, team, power: str, *, hour: int = 9, **kw) -> None:
        """On `day` (at 9 unless `hour`), the unit's staff (or `by=`) submits matter `key` under `power`
        (the matter is kept in self.matters[key])."""
        self.at(day, hour, _submit(self, key, team, power, **kw))

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


def _principal_tries(script: Script, key: str, team, comment: str) -> Callable[[], None]:
    """The principal tries to sign a matter of their unit: refused (R-MAT-2), and the attempt stays on
    record as RF1."""

    def go() -> None:
        with contextlib.suppress(Forbidden):
            services.approve(matter=script.matters[key], by=team.principal, comment=comment)

    return go


def _unit_history(ctx: DemoContext, script: Script, code: str, amounts: Amounts) -> None:
    """A unit's year of small matters, and what is open today, drawn from what the unit is for."""
    team = ctx.teams[code]
    rng = ctx.rng
    rows = pool_of(code, team.unit.kind)
    own = len(UNIT_POOLS.get(code, ()))
    mine, rest = rows[:own], rows[own:]
    rng.shuffle(mine)
    rng.shuffle(rest)
    own_picks = mine[:3]
    history = [*own_picks, *rest[: 5 - len(own_picks)]]
    left = [r for r in [*mine[3:], *rest[5 - len(own_picks) :]] if r not in history]
    span = (HISTORY_END - HISTORY_START).days - 20
    for i, (power, line, title, low, high) in enumerate(history):
        title = fill(title, rng)
        day = HISTORY_START + dt.timedelta(days=rng.randrange(0, span))
        wait = rng.choice((1, 2, 3, 5, 8))
        key = f"{code}-h{i}"
        staff = team.staff[i % 2]
        script.submit(
            day,
            key,
            team,
            power,
            by=staff,
            title=title,
            amount=amounts(title, low, high),
            counterparty=rng.choice(VENDORS),
            line=line,
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
    small = next(r for r in left if r[0] == "finance")
    purchase = next(r for r in left if r[0] == "procurement")
    for key, days, hour, staff, (power, line, title, low, high) in (
        ("open-small", 6, 10, team.staff[0], small),
        ("open-purchase", 4, 11, team.staff[1], purchase),
    ):
        title = fill(title, rng)
        script.submit(
            end - dt.timedelta(days=days),
            f"{code}-{key}",
            team,
            power,
            hour=hour,
            by=staff,
            title=title,
            amount=amounts(title, low, high),
            counterparty=rng.choice(VENDORS),
            line=line,
        )
    title = COLLECTIVE_UNIT.get(code) or rng.choice(COLLECTIVE)
    script.submit(
        end - dt.timedelta(days=2),
        f"{code}-open-collective",
        team,
        "finance",
        title=title,
        amount=amounts(title, 52000, 180000),
        counterparty=rng.choice(VENDORS),
        line="project",
    )


def _ncjd(ctx: DemoContext, script: Script) -> None:
    """南城街道: a vendor waits months for one signature; later matters are signed within a day."""
    team = ctx.teams["nc-ncjd"]
    script.submit(
        HISTORY_START + dt.timedelta(days=1),
        "ncjd-vendor",
        team,
        "procurement",
        title="电脑耗材货款结算（供应商多次上门催办）",
        amount="18600.00",
        counterparty="山城电脑耗材经营部",
        line="equipment",
        description="供应商为一个签字先后跑了二十趟。",
    )
    script.at(
        dt.date(YEAR, 3, 20), 16, _act(script, "ncjd-vendor", "approve", _deputy, comment="补签，同意结算。")
    )
    script.at(dt.date(YEAR, 3, 23), 10, _act(script, "ncjd-vendor", "execute", lambda m: m.submitted_by))
    for i, day in enumerate((dt.date(YEAR, 4, 8), dt.date(YEAR, 5, 12), dt.date(YEAR, 6, 3))):
        key = f"ncjd-fast{i}"
        script.submit(
            day,
            key,
            team,
            "procurement",
            title="电脑耗材采购",
            amount=f"{9200 + 800 * i}.00",
            counterparty="山城电脑耗材经营部",
            line="equipment",
        )
        script.at(day, 15, _act(script, key, "approve", _deputy, comment="同意。"))
    script.submit(
        dt.date(YEAR, 4, 15),
        "ncjd-rf1",
        team,
        "finance",
        title="街道宣传栏制作费",
        amount="7600.00",
        counterparty="江南印务有限公司",
        line="office",
    )
    script.at(dt.date(YEAR, 4, 15), 11, _principal_tries(script, "ncjd-rf1", team, "我来签"))
    script.at(dt.date(YEAR, 4, 16), 9, _act(script, "ncjd-rf1", "approve", _deputy, comment="同意。"))


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
    amounts = Amounts(ctx.rng)
    for code in ctx.units:
        _unit_history(ctx, script, code, amounts)
    _ncjd(ctx, script)
    script.run()
