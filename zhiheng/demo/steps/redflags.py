"""Step: histories that really trigger the red flags of issue 15, through the real services (the scan of
steps/warnings.py then raises them; nothing here writes a warning):

- RF2 拆分 — 朱沱镇 yc-ztz buys street-lamp parts from one vendor three times in three weeks, each under the
  ¥50,000 collective threshold, together ¥56,300;
- RF4 集中 — 松溉镇 yc-slz gives one building-materials shop six large purchases in 2026 (every ~40 days,
  so no split), far more than half of the town's procurement;
- RF9 贴近起点 and RF10 本福特 — 观音桥街道 jb-gyq: 120 purchases of the year from 120 suppliers, two in
  three between ¥45,000 and ¥49,990 — just under the threshold, and all starting with a 4. Jiangbei's
  commission screens this subdistrict's first digits from 100 amounts a year (its "risk" parameters; the
  default guard is 300, which would take 300 purchases to show here);
- RF7 签字瓶颈 — 南城街道 nc-ncjd: after the reform its deputies sign the next day (six more small
  matters here), so the computer-supplies vendor's months-long wait (steps/matters.py) stands out.
"""

from __future__ import annotations

import datetime as dt

from zhiheng import parameters
from zhiheng.core import clock

from ..context import YEAR, DemoContext
from .matters import Script, _act, _deputy

BENFORD_SAMPLE = 100
LAMP_VENDOR = "朱沱五金机电经营部"
MATERIALS_SHOP = "松溉建材经营部"
DEPARTMENTS = (
    "党政办",
    "财政所",
    "城管科",
    "社事办",
    "平安办",
    "经发办",
    "综治中心",
    "便民中心",
    "文化站",
    "卫生所",
)
ITEMS = (
    "打印纸",
    "电脑耗材",
    "办公桌椅",
    "空调维保",
    "监控设备",
    "消防器材",
    "宣传展板",
    "绿化苗木",
    "保洁用品",
    "应急物资",
    "图书资料",
    "会议音响",
    "路灯配件",
    "窨井盖板",
    "垃圾分类桶",
    "体育器材",
    "医疗耗材",
    "护栏围挡",
    "标识标牌",
    "档案柜",
    "饮水设备",
    "防汛沙袋",
    "电动巡逻车",
    "门禁系统",
    "文体演出服装",
    "便民座椅",
    "老年活动室家具",
    "社区书屋书架",
    "网格员工作服",
    "宣传手册印制",
)


def _purchase(script: Script, ctx: DemoContext, code: str, key: str, day: dt.date, **kw) -> None:
    """A purchase submitted on `day` and approved by its deputy the next afternoon."""
    team = ctx.teams[code]
    script.submit(day, key, team, "procurement", line=kw.pop("line", "equipment"), **kw)
    script.at(day + dt.timedelta(days=1), 15, _act(script, key, "approve", _deputy, comment="同意。"))


def build(ctx: DemoContext) -> None:
    script = Script()
    for i, (day, amount) in enumerate(((3, "19800.00"), (12, "18600.00"), (22, "17900.00"))):
        _purchase(
            script,
            ctx,
            "yc-ztz",
            f"ztz-lamp{i}",
            dt.date(YEAR, 5, day),
            title=f"村道路灯维修材料（第{i + 1}批）",
            amount=amount,
            counterparty=LAMP_VENDOR,
        )
    for i in range(6):
        _purchase(
            script,
            ctx,
            "yc-slz",
            f"slz-materials{i}",
            dt.date(YEAR, 1, 15) + dt.timedelta(days=40 * i),
            title=("场镇风貌整治材料", "河堤护栏材料", "便民服务中心装修材料")[i % 3],
            amount=f"{41000 + 700 * i}.00",
            counterparty=MATERIALS_SHOP,
        )
    with clock.frozen(clock.at(dt.date(YEAR, 1, 2), 9)):
        parameters.set_values(
            "risk", by=ctx.admins["jiangbei"], unit=ctx.units["jb-gyq"], values={"rf10_min_n": BENFORD_SAMPLE}
        )
    for i in range(BENFORD_SAMPLE + 20):
        department, item = DEPARTMENTS[i % len(DEPARTMENTS)], ITEMS[i // len(DEPARTMENTS)]
        hugging = i % 3 != 0
        _purchase(
            script,
            ctx,
            "jb-gyq",
            f"gyq-{i}",
            dt.date(YEAR, 1, 5) + dt.timedelta(days=(i * 7) % 290),
            title=f"{department}{item}",
            amount=f"{(45000 + (i * 37) % 4990) if hugging else (40000 + (i * 53) % 5000)}.00",
            counterparty=f"观音桥{item}供应商{i}号",
            line="project",
        )
    for i in range(6):
        _purchase(
            script,
            ctx,
            "nc-ncjd",
            f"ncjd-prompt{i}",
            dt.date(YEAR, 7, 1) + dt.timedelta(days=14 * i),
            title=("社区活动室桌椅", "网格员雨具", "宣传栏耗材", "办公打印纸", "消防器材补充", "防汛物资")[i],
            amount=f"{3200 + 450 * i}.00",
            counterparty=("渝新文具有限公司", "綦江百货商行")[i % 2],
        )
    script.run()
