"""What each demo unit spends on: realistic matter titles per unit and per kind of unit, so that no two
units file the same matter (issue 13 item 6: no identical title and amount repeated in every unit).

A pool row is (power code, budget line code, title, low, high): the amount is drawn in [low, high).
The matters step draws a unit's history and its open matters from its own rows first, then from its
kind's, then from the common ones; `Amounts` keeps every (title, amount) pair unique across the demo.
Titles avoid the 三重一大 keywords (matters.requirements.DEFAULT_MAJOR_KEYWORDS) so that a small matter
stays the deputy's to decide.
"""

from __future__ import annotations

import random

Row = tuple[str, str, str, int, int]

# Small matters every unit has (the deputy in charge decides them alone).
COMMON: tuple[Row, ...] = (
    ("finance", "office", "支付机关办公楼物业管理费（第{q}季度）", 12000, 38000),
    ("finance", "office", "报销赴市级部门汇报工作差旅费", 1800, 7800),
    ("finance", "office", "支付机关办公楼水电费（{m}月）", 6000, 26000),
    ("finance", "office", "支付公务用车维修保养费", 2200, 9600),
    ("finance", "office", "支付干部职工业务培训费", 5000, 28000),
    ("finance", "office", "支付档案整理外包服务费", 8000, 32000),
    ("finance", "office", "支付政务外网专线租赁费（{m}月）", 3000, 9000),
    ("finance", "office", "支付办公楼消防设施年度检测费", 4500, 16000),
    ("procurement", "equipment", "采购办公电脑{n}台", 16000, 44000),
    ("procurement", "equipment", "采购档案密集柜", 18000, 42000),
    ("procurement", "office", "采购办公耗材（纸张、硒鼓、墨盒）", 2000, 12000),
    ("procurement", "equipment", "采购会议室音响及话筒设备", 9000, 36000),
    ("procurement", "equipment", "采购政务服务窗口排队叫号机", 8000, 22000),
    ("procurement", "office", "采购机关食堂厨具及消毒柜", 6000, 24000),
    ("finance", "office", "支付法律顾问服务费（{q}季度）", 10000, 30000),
    ("finance", "office", "支付机关绿化养护费", 5000, 18000),
    ("finance", "office", "支付政务信息公开专栏维护费", 3000, 12000),
    ("finance", "office", "支付干部职工工会慰问品费用", 6000, 22000),
    ("finance", "office", "支付机关安保服务费（{m}月）", 9000, 28000),
    ("finance", "office", "支付公务接待用餐费（市级检查组）", 1200, 4800),
    ("procurement", "equipment", "采购复印一体机{n}台", 12000, 42000),
    ("procurement", "equipment", "采购视频会议终端", 15000, 45000),
    ("procurement", "equipment", "采购机房不间断电源", 9000, 30000),
    ("procurement", "office", "采购党建宣传展板", 2000, 9000),
    ("procurement", "office", "采购档案装具及档案盒", 2500, 9500),
    ("procurement", "equipment", "采购办公楼监控摄像头", 8000, 26000),
)

# By kind of unit (zhiheng.org.models.UnitKind).
LOCAL: tuple[Row, ...] = (
    ("finance", "office", "支付社区便民服务中心维修费", 9000, 39000),
    ("finance", "office", "支付辖区背街小巷清扫保洁费（{m}月）", 12000, 42000),
    ("finance", "office", "支付老旧小区路灯维修费", 5000, 18000),
    ("finance", "office", "支付网格员{m}月工作补贴", 18000, 46000),
    ("procurement", "equipment", "采购防汛沙袋及救生衣", 6000, 26000),
    ("procurement", "equipment", "采购垃圾分类收集桶", 7000, 24000),
    ("procurement", "equipment", "采购网格员巡查移动终端", 12000, 36000),
)
KIND_POOLS: dict[str, tuple[Row, ...]] = {
    "township": (
        *LOCAL,
        ("finance", "office", "支付农村饮水安全设施维护费", 8000, 30000),
        ("finance", "office", "支付村道塌方清理费", 6000, 28000),
        ("procurement", "equipment", "采购森林防火扑火工具", 9000, 32000),
    ),
    "xiang": (
        *LOCAL,
        ("finance", "office", "支付村级便民服务站网络费", 3000, 9000),
        ("finance", "office", "支付高山移民安置点公共照明电费", 4000, 15000),
        ("procurement", "equipment", "采购森林防火扑火工具", 9000, 32000),
    ),
    "subdistrict": (
        *LOCAL,
        ("finance", "office", "支付社区养老服务站运营补贴", 15000, 45000),
        ("procurement", "equipment", "采购社区消防微型站器材", 9000, 34000),
    ),
    "department": (),
    "branch": (),
}

# By unit: what the unit is for. Each unit has its own, so no two units' histories look alike.
UNIT_POOLS: dict[str, tuple[Row, ...]] = {
    "jb-fgw": (
        ("finance", "office", "支付重点项目前期研究咨询费", 12000, 46000),
        ("procurement", "equipment", "采购价格监测数据采集终端", 9000, 38000),
        ("finance", "office", "支付国民经济运行分析数据服务费", 8000, 26000),
    ),
    "jb-fgj": (
        ("finance", "office", "支付公租房小区安防巡查服务费", 12000, 44000),
        ("procurement", "equipment", "采购房屋安全鉴定检测仪器", 16000, 45000),
        ("finance", "office", "支付房屋交易网签系统维护费", 9000, 32000),
    ),
    "jb-szyl": (
        ("finance", "office", "支付行道树修剪服务费", 14000, 46000),
        ("procurement", "equipment", "采购园林绿化苗木（香樟、银杏）", 12000, 44000),
        ("finance", "office", "支付城市公园公厕保洁费", 9000, 30000),
    ),
    "jb-ajj": (
        ("procurement", "equipment", "采购安全生产执法检测仪器", 15000, 45000),
        ("finance", "office", "支付危险化学品企业专家检查费", 6000, 24000),
        ("finance", "office", "支付安全生产宣传月活动费", 5000, 18000),
    ),
    "jb-hbj": (
        ("finance", "office", "支付空气质量自动监测站运维费", 16000, 46000),
        ("procurement", "equipment", "采购水质快速检测试剂", 4000, 16000),
        ("finance", "office", "支付噪声扰民投诉夜间监测加班费", 3000, 9000),
    ),
    "jb-gsj": (
        ("procurement", "equipment", "采购税控发票打印机", 9000, 30000),
        ("finance", "office", "支付办税服务厅叫号系统维护费", 6000, 20000),
        ("finance", "office", "支付纳税人学堂讲座场地费", 3000, 9000),
    ),
    "jb-wld": (
        ("finance", "office", "支付五里店社区居民议事会场地费", 2000, 8000),
        ("procurement", "equipment", "采购楼栋长联络对讲机", 5000, 16000),
    ),
    "jb-fsz": (
        ("finance", "office", "支付复盛场镇农贸市场保洁费", 9000, 26000),
        ("procurement", "equipment", "采购农机具安全检查设备", 8000, 26000),
    ),
    "jb-jw": (
        ("procurement", "equipment", "采购中小学物理实验室器材", 15000, 45000),
        ("finance", "office", "支付教师继续教育授课费", 8000, 26000),
    ),
    "jb-wtj": (
        ("finance", "office", "支付社区文化广场演出费", 9000, 32000),
        ("procurement", "equipment", "采购区图书馆新书", 12000, 40000),
    ),
    "jb-gyq": (
        ("finance", "office", "支付观音桥商圈夜间秩序巡查补贴", 8000, 28000),
        ("procurement", "equipment", "采购商圈占道经营劝导执法记录仪", 6000, 22000),
    ),
    "nc-wsj": (
        ("procurement", "equipment", "采购乡镇卫生院心电监护仪", 18000, 45000),
        ("finance", "office", "支付疫苗冷链运输费", 7000, 24000),
        ("finance", "office", "支付村医培训食宿费", 5000, 18000),
    ),
    "nc-swj": (
        ("finance", "office", "支付水文监测站运维费", 9000, 30000),
        ("procurement", "equipment", "采购防汛抢险冲锋舟配件", 8000, 30000),
        ("finance", "office", "支付山坪塘巡查补贴", 4000, 14000),
    ),
    "nc-hbj": (
        ("finance", "office", "支付污水处理厂出水在线监测运维费", 12000, 42000),
        ("procurement", "equipment", "采购便携式烟气分析仪", 16000, 45000),
    ),
    "nc-jw": (
        ("procurement", "equipment", "采购农村学校课桌椅", 16000, 45000),
        ("finance", "office", "支付中考考务费", 8000, 28000),
    ),
    "nc-yqx": (
        ("finance", "office", "支付鱼泉乡社保协理员补贴", 6000, 18000),
        ("procurement", "equipment", "采购社保所档案柜", 5000, 15000),
    ),
    "nc-ncjd": (
        ("finance", "office", "支付南城街道城市管理协管员工资（{m}月）", 20000, 46000),
        ("procurement", "equipment", "采购街道办电脑耗材", 3000, 12000),
    ),
    "nc-dcjd": (
        ("finance", "office", "支付东城街道社区矫正帮教活动费", 3000, 9000),
        ("procurement", "equipment", "采购街道应急广播设备", 9000, 28000),
    ),
    "nc-jsz": (
        ("finance", "office", "支付金狮村人饮工程管护费", 5000, 16000),
        ("procurement", "equipment", "采购金山镇防汛应急照明设备", 5000, 18000),
    ),
    "nc-jtj": (
        ("finance", "office", "支付农村公路日常养护费", 15000, 46000),
        ("procurement", "equipment", "采购路政巡查车载记录设备", 9000, 30000),
    ),
    "yc-czj": (
        ("finance", "office", "支付财政一体化系统运维费", 16000, 46000),
        ("procurement", "equipment", "采购非税收入票据打印设备", 6000, 20000),
    ),
    "yc-jw": (
        ("procurement", "equipment", "采购职业学校实训耗材", 12000, 42000),
        ("finance", "office", "支付校园安保服务费", 16000, 45000),
    ),
    "yc-wsj": (
        ("procurement", "equipment", "采购基层医疗机构血压计", 6000, 20000),
        ("finance", "office", "支付家庭医生签约服务宣传费", 4000, 14000),
    ),
    "yc-sll": (("finance", "office", "支付胜利路社区老年食堂补贴", 12000, 38000),),
    "yc-ztz": (("finance", "office", "支付朱沱港码头周边保洁费", 8000, 26000),),
    "yc-slz": (("finance", "office", "支付松溉古镇消防巡查补贴", 6000, 22000),),
}

# Each unit's matter waiting for collective review (¥50,000 or more, R-MAT-3).
COLLECTIVE: tuple[str, ...] = (
    "机关办公楼外墙维修工程款",
    "档案室数字化改造费用",
    "政务信息化平台升级费用",
    "机关食堂改造费用",
    "会议中心视频会议系统更新费用",
    "机关办公楼电梯更新费用",
    "职工体检及健康管理服务费",
    "机关办公楼屋面防水维修费用",
    "办公楼配电房增容改造费用",
    "数据机房空调更换费用",
    "公务用车平台租赁服务费",
)
COLLECTIVE_UNIT: dict[str, str] = {
    "jb-szyl": "嘉陵江滨江公园绿化提升费用",
    "jb-ajj": "危险化学品企业安全评估服务费",
    "jb-fsz": "复盛场镇排水沟渠整治费用",
    "jb-wld": "五里店老旧小区雨污分流改造费用",
    "jb-gyq": "观音桥商圈公共座椅更新费用",
    "jb-jw": "中小学食堂明厨亮灶改造费用",
    "jb-wtj": "区文化馆舞台灯光改造费用",
    "nc-yqx": "鱼泉乡场镇污水管网维修费用",
    "nc-dcjd": "东城街道社区综合服务中心装修费用",
    "nc-jsz": "金山镇场镇道路修复费用",
    "nc-jtj": "农村客运招呼站建设费用",
    "yc-sll": "胜利路社区活动室改造费用",
    "yc-ztz": "朱沱镇农贸市场雨棚改造费用",
    "yc-slz": "松溉古镇排水管网疏通费用",
}


class Amounts:
    """Draws amounts so that a (title, amount) pair is never repeated anywhere in the demo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[tuple[str, str]] = set()

    def __call__(self, title: str, low: int, high: int) -> str:
        step = 10 if high < 20000 else 100
        while True:
            value = self.rng.randrange(low // step, high // step) * step
            amount = f"{value}.00"
            if (title, amount) not in self.seen:
                self.seen.add((title, amount))
                return amount


def pool_of(code: str, kind: str) -> list[Row]:
    """A unit's rows, its own first."""
    return [*UNIT_POOLS.get(code, ()), *KIND_POOLS.get(kind, ()), *COMMON]


def fill(title: str, rng: random.Random) -> str:
    """A template's blanks: quarter, month, count."""
    return title.format(q=rng.choice("一二三"), m=rng.randrange(1, 11), n=rng.randrange(3, 12))
