"""Step: the months before the reform, so that 成效分析's before/after is real (issue 15 item 6, SPEC §11).

Before each unit's reform date (its first division plan in force: TERMS_START in this demo) the principal
signed everything — the seed's "一支笔" — and matters waited weeks for that one signature. For the
PREREFORM_MONTHS before it, every unit (but 区卫生局, NOT_BEFORE) gets a few small expenditures and purchases a month (and one large
one nobody took to a meeting), each submitted by its staff, signed by the principal after a long wait
(8–40 days), and paid a few days later. 南城街道's computer-supplies vendor is the extreme: the seed's
"came twenty times for one signature" — payments waiting 3–4 months for the subdistrict head 谭晓雯.

No service would write these matters today (R-MAT-2 refuses the principal; no plan was in force to name
a deputy), so they are faithful rows written the way the services write them: a Matter, then each event
recorded through the matters' own history (matters.services.history.record: one MatterEvent and one ledger
entry, at the event's time on the demo clock). They are not restricted (nothing was restricted before the
policy), so no red flag calls the principal's signature a violation; a long wait is what RF7 is for.

Jiangbei's eight pilot units are the units of its pilot programme (steps/pilots.py), which analytics compares
with the others.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhiheng.core import clock
from zhiheng.matters.models import DEFAULT_KIND_BY_CATEGORY, Matter, MatterKind
from zhiheng.matters.services.history import record
from zhiheng.matters.states import MatterState
from zhiheng.powers.selectors import get_power

from ..business import COLLECTIVE, KIND_POOLS, UNIT_POOLS, Amounts, fill, pool_of
from ..context import TERMS_START, DemoContext, Team
from .matters import VENDORS

PREREFORM_MONTHS = 6
PER_MONTH = 2
WAIT_DAYS = (8, 40)  # the principal's signature, drawn uniformly in this range
NCJD_VENDOR = "山城电脑耗材经营部"
NCJD_WAITS = (96, 112, 127)  # days: the seed's "twenty trips for one signature", three times over
# 区卫生局's principal 孟雅琴 is the seed's model of a principal freed of routine signing: the demo keeps her
# record as the story tells it (she decided none of the unit's matters), so her unit has no pre-reform months.
NOT_BEFORE = frozenset({"nc-wsj"})


def _months_before(reform: dt.date) -> list[dt.date]:
    firsts = []
    day = reform.replace(day=1)
    for _ in range(PREREFORM_MONTHS):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        firsts.append(day)
    return firsts[::-1]


def _signed_by_principal(
    team: Team,
    *,
    power: str,
    title: str,
    amount: str,
    counterparty: str,
    submitted: dt.datetime,
    wait: dt.timedelta,
    by_staff: int,
    description: str = "",
) -> Matter:
    """One pre-reform matter: submitted by staff, signed by the principal after `wait`, paid 2–4 days
    later — three events, each a MatterEvent and a ledger entry at its own time."""
    unit, principal = team.unit, team.principal
    power_obj = get_power(unit, power)
    category = power_obj.category.code
    kind = DEFAULT_KIND_BY_CATEGORY.get(category, MatterKind.OTHER)
    staff = team.staff[by_staff % 2]
    decided = submitted + wait
    paid = decided + dt.timedelta(days=2 + by_staff % 3, hours=1)
    with clock.frozen(submitted):
        matter = Matter.objects.create(
            unit=unit,
            power=power_obj,
            kind=kind,
            title=title,
            description=description,
            amount=Decimal(amount),
            counterparty=counterparty,
            category=category,
            restricted=False,  # no policy was in force: nothing was restricted yet
            state=MatterState.SUBMITTED,
            submitted_by=staff,
            submitted_at=submitted,
            deputy=principal,  # whoever signed then: the principal, for everything
        )
        record(
            matter,
            by=staff,
            action="submitted",
            note=description[:200],
            payload={
                "power": power,
                "kind": str(kind),
                "title": title,
                "amount": amount,
                "counterparty": counterparty,
                "budget_line": None,
                "deputy": principal.username,
                "restricted": False,
                "prereform": True,
            },
        )
    with clock.frozen(decided):
        matter.state, matter.decided_by, matter.decided_at = MatterState.APPROVED, principal, decided
        matter.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        record(matter, by=principal, action="approved", note="同意。", payload={"reserved": None})
    with clock.frozen(paid):
        matter.state, matter.executed_at = MatterState.EXECUTED, paid
        matter.save(update_fields=["state", "executed_at", "updated_at"])
        record(matter, by=staff, action="executed", note="已支付。")
    return matter


def _unit(ctx: DemoContext, code: str, amounts: Amounts) -> None:
    team = ctx.teams[code]
    rng = ctx.rng
    # The unit's own and its kind's rows (business.py), not the common ones: no title in most units.
    own = [*UNIT_POOLS.get(code, ()), *KIND_POOLS.get(team.unit.kind, ())]
    rows = [r for r in own or pool_of(code, team.unit.kind) if r[0] in ("finance", "procurement")]
    months = _months_before(TERMS_START)
    for m, first in enumerate(months):
        for i in range(PER_MONTH):
            power, _line, title, low, high = rng.choice(rows)
            title = fill(title, rng)
            day = first + dt.timedelta(days=rng.randrange(0, 27))
            wait = dt.timedelta(days=rng.randint(*WAIT_DAYS), hours=rng.randrange(0, 8))
            _signed_by_principal(
                team,
                power=power,
                title=title,
                amount=amounts(title, low, high),
                counterparty=rng.choice(VENDORS),
                submitted=clock.at(day, 9 + i),
                wait=wait,
                by_staff=m + i,
            )
    # The large one: before the reform nobody took it to the team either.
    title = rng.choice(COLLECTIVE)
    day = months[2] + dt.timedelta(days=rng.randrange(0, 27))
    _signed_by_principal(
        team,
        power="finance",
        title=title,
        amount=amounts(title, 60000, 180000),
        counterparty=rng.choice(VENDORS),
        submitted=clock.at(day, 10),
        wait=dt.timedelta(days=rng.randint(*WAIT_DAYS), hours=3),
        by_staff=1,
    )


def _ncjd_vendor(ctx: DemoContext, amounts: Amounts) -> None:
    """南城街道: the computer-supplies vendor's payments, each waiting months for the head's signature."""
    team = ctx.teams["nc-ncjd"]
    months = _months_before(TERMS_START)
    for i, wait in enumerate(NCJD_WAITS):
        title = "电脑耗材货款结算"
        _signed_by_principal(
            team,
            power="procurement",
            title=title,
            amount=amounts(title, 9000, 24000),
            counterparty=NCJD_VENDOR,
            submitted=clock.at(months[i] + dt.timedelta(days=3), 10),
            wait=dt.timedelta(days=wait, hours=5),
            by_staff=i,
            description="供应商为一个签字先后跑了二十趟。",
        )


def build(ctx: DemoContext) -> None:
    amounts = Amounts(ctx.rng)
    # No (title, amount) pair of the demo repeats in two units: the later matters' pairs are taken already.
    taken = Matter.objects.filter(amount__isnull=False).values_list("title", "amount")
    amounts.seen.update((title, f"{amount:.2f}") for title, amount in taken)
    for code in ctx.units:
        if code not in NOT_BEFORE:
            _unit(ctx, code, amounts)
    _ncjd_vendor(ctx, amounts)
