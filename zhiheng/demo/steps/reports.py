"""The reporting channel 信访举报 (R-SUP-3; issue 17's demo): in each district a handful of reports through
the four channels — the web form 网上举报 (the citizen's own), and the phone, e-mail and online interview
网上访谈 the commission's staff record — about units, a person and what the seed calls 桌面下的违规.

- 江北 市政园林局 jb-szyl: an anonymous web report of three purchases split below the collective-review
  threshold. The commission asks the reporter a question, the reporter answers with their receipt; the case
  is open, its deadline coming up (16 December). Its receipt and passphrase are fixed (TRIAL_RECEIPT,
  TRIAL_PASSPHRASE; docs/demo.md) so that a tester can try the follow-up page 查询答复 at /report/follow-up/.
- 江北 复盛镇 jb-fsz: a phone call about the construction deputy (jb-fsz-deputy2) whose spouse's company
  takes the town's repair works (the check-up's RF3 story): closed as 线索移送, the lead transferred.
- 南川 南城街道 nc-ncjd: the supplier who came twenty times for one signature asks whether someone wanted a
  bribe: checked and dismissed 予以了结, with reasons, and the reporter told through the follow-up.
- 南川 交通局 nc-jtj: a phone call — the principal still has the road payments made before the deputy signs:
  a case open past its deadline (13 November).
- 永川 财政局 yc-czj: a named web report (the identity sealed) of a subsidy held back: 责令整改.
- The others wait in the commission's list, received.

Every step goes through the services (the rules and the ledger, which holds ids and channels only), the
clock frozen to the day. Nothing here draws from ctx.rng; the receipts other than the trial one are drawn
by `secrets`, as every reporter's are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.reports import services
from zhiheng.reports.models import Case, Report
from zhiheng.reports.states import Channel, Outcome

from ..context import YEAR, DemoContext

# The demo's trial receipt (docs/demo.md "试用举报查询"): 0, not O, in "DEM0" — typing an O reads as 0 anyway.
TRIAL_RECEIPT = "DEM0-2026-JB00-0000-0001"
TRIAL_PASSPHRASE = "demo-jubao-2026"
TRIAL = "split"  # the report the trial receipt opens


@dataclass(frozen=True)
class Filed:
    key: str
    district: str
    channel: str
    unit: str
    day: dt.date
    hour: int
    subject: str
    body: str
    person: str | None = None
    name: str = ""  # a named report (实名举报): sealed with the contact, opened only by a case's handlers
    contact: str = ""


def _d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


REPORTS: tuple[Filed, ...] = (
    # 江北区
    Filed(
        TRIAL,
        "jiangbei",
        Channel.WEB,
        "jb-szyl",
        _d(10, 28),
        21,
        "园林局绿化养护采购疑似拆分，规避集体研究",
        "区市政园林局今年9月至10月向同一家园林公司连续签了三笔行道树养护合同，分别是4.8万元、4.9万元、"
        "4.6万元，前后只隔十来天，每一笔都刚好低于5万元的集体研究标准。我是做苗木生意的，听说这家公司"
        "和局里一位领导关系很近，别的公司根本没有机会报价。",
    ),
    Filed(
        "spouse",
        "jiangbei",
        Channel.PHONE,
        "jb-fsz",
        _d(9, 22),
        15,
        "复盛镇分管城建的副镇长配偶的公司承接镇里维修工程",
        "来电人反映：复盛镇分管城建的副镇长，其配偶经营的建筑公司近两年承接了镇政府多项维修工程，"
        "包括敬老院屋面防水和场镇排水沟改造，均未公开比选。来电人自称镇上施工队负责人，不愿留姓名。"
        "（区纪委举报电话记录）",
        person="jb-fsz-deputy2",
    ),
    Filed(
        "housing",
        "jiangbei",
        Channel.EMAIL,
        "jb-fgj",
        _d(11, 9),
        9,
        "公租房配租优亲厚友",
        "区房管局公租房配租中，有不符合条件的家庭插队获得配租，据我了解与住房保障科一名工作人员是亲戚。"
        "我本人排队两年仍未配租，申请回执编号附后，请纪委核对。",
        name="唐素芬",
        contact="电子邮件 tangsufen@example.cn",
    ),
    Filed(
        "stalls",
        "jiangbei",
        Channel.INTERVIEW,
        "jb-wld",
        _d(11, 18),
        15,
        "城管执法“罚多罚少一句话”，收钱不开票",
        "区纪委网上访谈“书记在线”中网民留言：五里店街道城管执法队员对占道摊贩罚多罚少全凭一句话，"
        "有摊贩交了钱却没有拿到票据。",
    ),
    Filed(
        "safety",
        "jiangbei",
        Channel.WEB,
        "jb-ajj",
        _d(11, 19),
        22,
        "安全检查走过场，检查前企业先“打招呼”",
        "区安监局对我们厂的安全检查每次都提前一天电话通知，检查当天只看台账不下车间，"
        "中午还在厂里吃饭。车间的消防通道常年堆着货，从来没有被指出过。",
    ),
    # 南川区
    Filed(
        "signature",
        "nanchuan",
        Channel.WEB,
        "nc-ncjd",
        _d(3, 10),
        20,
        "为一个签字跑了近二十趟，是否有人故意刁难",
        "我是给南城街道供应电脑耗材的公司业务员。改革前我们有一笔货款，我前后上门近二十次都没等到"
        "主任签字，拖了大半年。现在款已经结了，但我想知道当时是不是有人故意卡着、想要好处。",
    ),
    Filed(
        "payments",
        "nanchuan",
        Channel.PHONE,
        "nc-jtj",
        _d(10, 12),
        10,
        "局长不分管财务，却私下要求先付工程款再补签字",
        "来电人反映：区交通局局长虽已不分管财务，但仍私下要求财务科先支付一笔道路养护工程款，"
        "再补分管副局长的签字，财务人员不敢不办。来电人系局内职工，要求匿名。（区纪委举报电话记录）",
    ),
    Filed(
        "town",
        "nanchuan",
        Channel.EMAIL,
        "nc-jsz",
        _d(11, 2),
        8,
        "场镇改造工程未经集体研究即指定施工单位",
        "金山镇场镇风貌改造工程造价一百多万元，镇里没有开会研究，也没有公开招标，直接由一家外地公司进场施工。",
    ),
    Filed(
        "welfare",
        "nanchuan",
        Channel.INTERVIEW,
        "nc-yqx",
        _d(11, 17),
        16,
        "低保评定名单未张榜公示",
        "区纪委网上访谈中网民反映：鱼泉乡今年的低保评定名单没有在村里张榜公示，"
        "有的家里开着小卖部也评上了，真正困难的老人却没有评上。",
    ),
    # 永川区
    Filed(
        "subsidy",
        "yongchuan",
        Channel.WEB,
        "yc-czj",
        _d(8, 20),
        19,
        "专项补助迟迟不拨付，经办人暗示“意思意思”",
        "我是朱沱镇一家农业合作社的负责人。我们申请的农业产业化专项补助早已公示，区财政局经办人员却"
        "迟迟不拨付，几次暗示要“意思意思”才能快点办。",
        name="付永强",
        contact="手机 13800002026",
    ),
    Filed(
        "acceptance",
        "yongchuan",
        Channel.PHONE,
        "yc-ztz",
        _d(10, 15),
        11,
        "村道硬化工程验收走过场",
        "来电人反映：朱沱镇两条村道硬化工程完工不到半年就开裂，验收时镇里的人只拍了照片，"
        "没有钻芯取样。（区纪委举报电话记录）",
    ),
    Filed(
        "canteen",
        "yongchuan",
        Channel.EMAIL,
        "yc-jw",
        _d(11, 6),
        7,
        "学校食堂配送由校长亲属承接",
        "区教委下属一所中学的食堂食材配送，这两年一直由校长的亲属经营的公司承接，价格比市场价高出不少。",
    ),
    Filed(
        "estate",
        "yongchuan",
        Channel.INTERVIEW,
        "yc-sll",
        _d(11, 11),
        15,
        "老旧小区改造项目公示不全",
        "区纪委网上访谈中居民反映：胜利路街道老旧小区改造项目只公示了总金额，"
        "没有公示分项工程和施工单位，居民想监督也无从下手。",
    ),
)


class Script:
    """The step's actions run in time order, so that the ledger reads as the days went (a report is received
    before its case is opened, the question before the answer)."""

    def __init__(self) -> None:
        self.steps: list[tuple[dt.datetime, int, Callable[[], object]]] = []

    def at(self, moment: dt.datetime, fn: Callable[[], object]) -> None:
        self.steps.append((moment, len(self.steps), fn))

    def run(self) -> None:
        for moment, _seq, fn in sorted(self.steps, key=lambda step: step[:2]):
            with clock.frozen(moment):
                fn()


def build(ctx: DemoContext) -> None:
    script = Script()
    filed: dict[str, Report] = {}
    cases: dict[str, Case] = {}

    def receive(f: Filed) -> Callable[[], object]:
        """Through the public form (web: nobody recorded it) or recorded by the district's commission."""

        def run() -> None:
            filed[f.key] = services.receive(
                by=None if f.channel == Channel.WEB else ctx.admins[f.district],
                channel=f.channel,
                subject=f.subject,
                body=f.body,
                unit=f.unit,
                person=f.person,
                anonymous=not f.name,
                name=f.name,
                contact=f.contact,
                passphrase=TRIAL_PASSPHRASE if f.key == TRIAL else "",
                receipt_code=TRIAL_RECEIPT if f.key == TRIAL else None,
            ).report

        return run

    def admin(key: str) -> Person:
        return ctx.admins[filed[key].district.code]

    def open_case(key: str, day: dt.date, deadline: dt.date) -> None:
        def run() -> None:
            cases[key] = services.open_case(
                by=admin(key), reports=[filed[key]], handlers=[admin(key)], deadline=deadline
            )

        script.at(clock.at(day, 9, 30), run)

    def close_case(key: str, day: dt.date, outcome: str, reason: str) -> None:
        script.at(
            clock.at(day, 16),
            lambda: services.close_case(by=admin(key), case=cases[key], outcome=outcome, reason=reason),
        )

    def ask(key: str, moment: dt.datetime, body: str) -> None:
        script.at(moment, lambda: services.write_as_handler(by=admin(key), report=filed[key], body=body))

    def answer(key: str, moment: dt.datetime, body: str) -> None:
        script.at(moment, lambda: services.write_as_reporter(report=filed[key], body=body))

    for f in REPORTS:
        script.at(clock.at(f.day, f.hour, 10), receive(f))

    # 江北: the commission asks the anonymous reporter, who answers; a case is opened, due 16 December.
    ask(
        TRIAL,
        clock.at(_d(11, 3), 10),
        "您好，您反映的情况已收到。请问您是否知道这三笔合同的签订日期或这家公司的名称？"
        "“关系很近”的说法是从什么渠道了解到的？",
    )
    answer(
        TRIAL,
        clock.at(_d(11, 5), 20, 15),
        "公司叫绿韵园林工程有限公司。三笔合同大约是9月18日、9月29日和10月10日签的，"
        "我在局门口的公示栏看到过。关系的事是同行之间传的，我没有直接证据。",
    )
    open_case(TRIAL, _d(11, 16), deadline=_d(12, 16))

    # 江北: the spouse's company — a lead transferred to the commission's investigators.
    open_case("spouse", _d(9, 24), deadline=_d(10, 24))
    close_case(
        "spouse",
        _d(10, 20),
        Outcome.LEAD_TRANSFERRED,
        "经初核，反映的两项工程确由该副镇长配偶经营的公司承接，与其任前廉情申报中配偶经商的情况吻合，"
        "涉嫌未按规定回避。线索移送区监委第二审查调查室，与廉情申报核查一并办理。",
    )

    # 南川: the twenty trips — checked, dismissed with reasons, the reporter told.
    open_case("signature", _d(3, 12), deadline=_d(4, 12))
    ask(
        "signature",
        clock.at(_d(4, 8), 15),
        "经核查，当年货款延迟支付是因为财务签字集中于办事处主任一人、主任外出时无人签字，"
        "未发现索要或收受好处的情况。改革后街道的财务签字已交由分管副主任，货款已结清。感谢您的监督。",
    )
    close_case(
        "signature",
        _d(4, 8),
        Outcome.DISMISSED,
        "调阅改革前的付款记录并约谈财务人员，货款延迟系财务签字集中于办事处主任一人、主任外出时无人签字所致，"
        "未发现索要或收受好处；改革后财务签字权已交由分管副主任，该笔货款已结清。反映问题不属实，予以了结。",
    )

    # 南川: the principal's payments — a case open past its deadline.
    open_case("payments", _d(10, 14), deadline=_d(11, 13))

    # 永川: the subsidy held back — a rectification ordered.
    open_case("subsidy", _d(8, 24), deadline=_d(9, 30))
    close_case(
        "subsidy",
        _d(9, 28),
        Outcome.RECTIFICATION,
        "经核查，该笔补助资金拨付超过规定时限47天属实，未发现索要财物的证据。"
        "已责令区财政局整改资金拨付流程，限时办结并向申请人公开办理进度。",
    )

    script.run()
