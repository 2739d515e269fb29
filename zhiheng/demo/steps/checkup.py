"""The integrity check-up before appointment (R-GATE-1/2/4; issue 16's demo): deputies and staff named as
candidates for promotion, each at a different point of the three gates, so that the commission's queue and
a candidate's checklist show every case.

- 江北 复盛镇 jb-fsz: the spouse of its deputy in charge of construction (jb-fsz-deputy2) runs a company
  that is a counterparty of the town's own matters (the declaration's "counterparty" check, RF3's data) —
  the highest score in the queue, opinion 待核实; its first deputy has everything in order (exam passed,
  clean declaration, 无异议).
- 南川 鱼泉乡 nc-yqx: the first deputy failed the exam and passed the make-up, and declared two years whose
  assets grew faster than the declared income (RF12); the first staff member failed the make-up too:
  取消任职资格.
- 永川 胜利路街道 yc-sll: exams sat online — the first deputy marked and in order, the second handed in and
  waiting for the commission's marking; 鱼泉乡's second deputy has a paper drawn, not yet started.

Their integrity archives (R-GATE-3) gather all this, with entries the commissions wrote by hand: a complaint
about jb-fsz-deputy1 checked and found unsubstantiated (澄清), one about jb-fsz-deputy2's spouse's company
received and under verification, and a reminder talk 提醒谈话 with nc-yqx-deputy1 about the assets.

After the declarations, a repair contract with the spouse's company waits in jb-fsz-deputy2's inbox: RF3
withholds the approval from them (the matter page says why, to them only) and leaves them the way to the
team, where they are recused (R-MTG-9).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from zhiheng.accounts.models import Person
from zhiheng.checkup import bank_excel, marking, papers, services
from zhiheng.checkup.checks import ITEMS
from zhiheng.checkup.models import Paper, Question
from zhiheng.checkup.services.sitting import keys_of
from zhiheng.core import clock
from zhiheng.matters import services as matters
from zhiheng.matters.models import Matter
from zhiheng.powers import selectors as powers

from ..context import YEAR, DemoContext
from ..exam_bank import QUESTIONS


def _items(salary: int, estates: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    items: dict[str, Any] = {key: [] for key in ITEMS}
    items.update(marriage={"status": "已婚"}, salary=salary, real_estate=estates)
    items.update(over)
    return items


def _declare(person, year: int, items: dict[str, Any], day: dt.date) -> None:
    with clock.frozen(clock.at(day, 10)):
        services.file_declaration(by=person, person=person, year=year, items=items)


def _exam(ctx: DemoContext, district: str, person, score: str, day: dt.date) -> None:
    """The sitting's paper drawn in the morning from the district's bank (R-GATE-1), the result recorded in
    the afternoon."""
    with clock.frozen(clock.at(day, 8)):
        services.draw_paper(
            by=ctx.admins[district],
            person=person,
            blueprint=papers.DEFAULT_BLUEPRINT,
            # fixed per candidate and day, without drawing from ctx.rng (the later steps keep their draws)
            seed=int(hashlib.sha256(f"{person.username}/{day}".encode()).hexdigest()[:15], 16),
        )
    with clock.frozen(clock.at(day, 15)):
        services.record_exam(by=ctx.admins[district], person=person, score=Decimal(score), sat_on=day)


MODEL_ANSWER = (
    "一把手不直接分管人财物，重大事项由领导班子集体决策、一把手末位表态，分管副职各负其责，相互制约。"
)


def _paper(ctx: DemoContext, district: str, person, day: dt.date) -> Paper:
    with clock.frozen(clock.at(day, 8)):
        return services.draw_paper(
            by=ctx.admins[district],
            person=person,
            blueprint=papers.DEFAULT_BLUEPRINT,
            seed=int(hashlib.sha256(f"{person.username}/{day}/online".encode()).hexdigest()[:15], 16),
        )


def _sit_online(
    ctx: DemoContext, district: str, person, day: dt.date, *, wrong_every: int, mark: bool
) -> None:
    """The candidate sits the paper drawn for them online (R-GATE-1) from 9:00, getting every
    `wrong_every`-th question wrong, saves at 9:40 and hands in at 10:05; with `mark`, the commission marks
    the short answers at 15:00 (four fifths of their worth), which records the sitting."""
    paper = _paper(ctx, district, person, day)
    with clock.frozen(clock.at(day, 9)):
        sitting = services.start_sitting(by=person, paper=paper)
    keys = keys_of(paper)
    answers: dict[str, Any] = {}
    for n, (qid, key) in enumerate(keys.items(), start=1):
        right = n % wrong_every != 0
        if key.kind == "short":
            answers[str(qid)] = MODEL_ANSWER
        elif key.kind == "true_false":
            answers[str(qid)] = key.answer if right else not key.answer
        else:
            answers[str(qid)] = key.answer if right else [(key.answer[0] + 1) % key.options]
    with clock.frozen(clock.at(day, 9, 40)):
        services.save_answers(by=person, sitting=sitting, answers=answers)
    with clock.frozen(clock.at(day, 10, 5)):
        services.submit(by=person, sitting=sitting)
    if mark:
        worth = marking.worth(len(keys))
        points = {str(q): worth * 4 / 5 for q, key in keys.items() if key.kind == "short"}
        with clock.frozen(clock.at(day, 15)):
            services.mark(by=ctx.admins[district], sitting=sitting, points=points)


def _bank(ctx: DemoContext) -> None:
    """Each district's commission imports the demo's exam bank from Excel at the start of the year."""
    book = Workbook()
    sheet = book.active
    sheet.append(bank_excel.HEADERS)
    for row in QUESTIONS:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    for code, district in ctx.districts.items():
        if Question.objects.filter(district=district).exists():
            continue  # imported already (the meetings step's candidates sat their exam from it)
        with clock.frozen(clock.at(dt.date(YEAR, 1, 6), 10)):
            services.import_questions(by=ctx.admins[code], district=district, data=data.getvalue())


def _opinion(ctx: DemoContext, district: str, person, status: str, reasons: str, day: dt.date) -> None:
    with clock.frozen(clock.at(day, 16)):
        services.issue_opinion(by=ctx.admins[district], person=person, status=status, reasons=reasons)


HOME = {"owner": "本人", "address": "城区滨江路18号", "area": 96, "value": 860000}


def _archive(
    ctx: DemoContext,
    district: str,
    person,
    day: dt.date,
    kind: tuple[str, str],
    title: str,
    body: str,
) -> None:
    """An entry the district's commission writes by hand into the person's integrity archive."""
    with clock.frozen(clock.at(day, 11)):
        services.add_archive_entry(
            by=ctx.admins[district],
            person=person,
            category=kind[0],
            subcategory=kind[1],
            occurred_on=day,
            title=title,
            body=body,
        )


def put_in_order(ctx: DemoContext, district: str, person, day: dt.date) -> None:
    """Exam passed on `day` (its paper from the district's bank), a clean declaration two days later and
    the commission's 无异议 nine days later."""
    _bank(ctx)
    _in_order(ctx, district, person, day)


def _in_order(ctx: DemoContext, district: str, person, day: dt.date, *, online: bool = False) -> None:
    if online:
        _sit_online(ctx, district, person, day, wrong_every=7, mark=True)
    else:
        _exam(ctx, district, person, "86", day)
    _declare(person, YEAR, _items(186000, [HOME]), day + dt.timedelta(days=2))
    _opinion(
        ctx,
        district,
        person,
        "no_objection",
        "廉政档案无不良记录，申报经核查属实。",
        day + dt.timedelta(days=9),
    )


def build(ctx: DemoContext) -> None:
    _bank(ctx)
    fsz = ctx.teams["jb-fsz"]
    vendor = (
        Matter.objects.filter(unit=fsz.unit)
        .exclude(counterparty="")
        .values_list("counterparty", flat=True)
        .first()
    )
    # The deputy in charge of construction (jb-fsz-deputy2), so that the contract below waits for them.
    construction = powers.list_powers(fsz.unit).filter(code="construction").first()
    flagged = (construction and powers.deputy_in_charge(fsz.unit, construction, dt.date(YEAR, 11, 18))) or (
        fsz.deputies[1]
    )
    clean = next(d for d in fsz.deputies if d != flagged)
    _exam(ctx, "jiangbei", flagged, "78", dt.date(YEAR, 9, 8))
    business = {
        "owner": "配偶",
        "name": vendor or "重庆某建材有限公司",
        "credit_code": "91500000MA5U7XBL31",
        "role": "股东",
    }
    _declare(flagged, YEAR, _items(192000, [HOME], businesses=[business]), dt.date(YEAR, 9, 10))
    _opinion(
        ctx,
        "jiangbei",
        flagged,
        "pending",
        "其配偶经营企业系本单位事项相对方，正在核实。",
        dt.date(YEAR, 9, 18),
    )
    _archive(
        ctx,
        "jiangbei",
        clean,
        dt.date(YEAR, 9, 5),
        ("reports", "unsubstantiated"),
        "反映其在征地补偿中优亲厚友，经核查查无实据",
        "8月收到匿名来信。经调取补偿台账、走访相关农户核查，其亲属所获补偿与同组其他农户标准一致，"
        "反映问题查无实据，已向本人反馈，并在镇党委会上予以澄清。",
    )
    _in_order(ctx, "jiangbei", clean, dt.date(YEAR, 9, 8))
    _archive(
        ctx,
        "jiangbei",
        flagged,
        dt.date(YEAR, 9, 15),
        ("reports", "received"),
        "反映其配偶经营的企业承接本镇工程",
        "来信反映其配偶经营的企业与镇政府有业务往来。已与其个人有关事项申报比对，正在核实。",
    )
    _waits_for_a_declared_deputy(fsz.unit, fsz.staff[0], flagged, business["name"])

    yqx = ctx.teams["nc-yqx"]
    grown = yqx.deputies[0]
    _exam(ctx, "nanchuan", grown, "52", dt.date(YEAR, 6, 2))
    _exam(ctx, "nanchuan", grown, "71", dt.date(YEAR, 6, 23))
    _declare(grown, YEAR - 1, _items(168000, [HOME]), dt.date(YEAR - 1, 12, 20))
    new_flat = {"owner": "配偶", "address": "南川区金佛山大道6号", "area": 142, "value": 1580000}
    fund = {"owner": "配偶", "kind": "基金", "name": "某货币基金", "value": 420000}
    _declare(grown, YEAR, _items(171000, [HOME, new_flat], investments=[fund]), dt.date(YEAR, 6, 25))
    _opinion(ctx, "nanchuan", grown, "pending", "资产增长明显快于申报收入，已函询本人。", dt.date(YEAR, 7, 2))
    _archive(
        ctx,
        "nanchuan",
        grown,
        dt.date(YEAR, 7, 10),
        ("discipline", "talk"),
        "就家庭资产增长较快问题进行提醒谈话",
        "针对其本年度个人有关事项申报中家庭资产增长明显快于申报收入的情况，区纪委进行提醒谈话并函询，"
        "本人已书面说明配偶购房资金来源，待核实。",
    )
    out = yqx.staff[0]
    _exam(ctx, "nanchuan", out, "48", dt.date(YEAR, 6, 2))
    _exam(ctx, "nanchuan", out, "55.5", dt.date(YEAR, 6, 23))

    # 永川 sits its exams online (R-GATE-1): the first deputy marked and in order; the second handed in on
    # 20 November and waits for the commission's marking; 鱼泉乡's second deputy has a paper drawn for them
    # that they have not started yet.
    sll = ctx.teams["yc-sll"]
    _in_order(ctx, "yongchuan", sll.deputies[0], dt.date(YEAR, 10, 12), online=True)
    if len(sll.deputies) > 1:
        _sit_online(ctx, "yongchuan", sll.deputies[1], dt.date(YEAR, 11, 20), wrong_every=4, mark=False)
    if len(yqx.deputies) > 1:
        _paper(ctx, "nanchuan", yqx.deputies[1], dt.date(YEAR, 11, 27))


def _waits_for_a_declared_deputy(unit, clerk: Person, deputy: Person, company: str) -> None:
    """A repair contract with the company the deputy declared for their spouse, under a power they are in
    charge of: pending, so the demo shows RF3 at the moment of approval. Not a finance matter: a client
    that picks the unit's first small finance matter to approve finds an ordinary one."""
    day = dt.date(YEAR, 11, 18)
    power = next(
        (
            p
            for p in powers.list_powers(unit).select_related("category")
            if p.category.code not in {"finance", "personnel"}
            and powers.deputy_in_charge(unit, p, day) == deputy
        ),
        None,
    )
    if power is None:
        return
    with clock.frozen(clock.at(day, 10)):
        matters.submit(
            by=clerk,
            unit=unit,
            power=power,
            title="镇政府办公楼外墙维修",
            amount="8600.00",
            counterparty=company,
            budget_line=unit.budget_lines.order_by("code").first(),
        )
