"""The seed's geography as data: districts, units, and what each unit is known for.

Units and districts are real places named by the seed (000_2bda83f2ac2d47d1.txt). Every person is
fictional (SPEC §12); the officials whose stories the seed tells are played by fictional people in the
roles it gives them (SEED_PEOPLE). `pilot` marks Jiangbei's eight 2012 pilot units.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str  # zhiheng.org.models.UnitKind
    pilot: bool = False
    deputies: int = 3


@dataclass(frozen=True)
class DistrictSpec:
    code: str
    name: str
    policy: str  # the district's default policy template code (R-DIV-3)
    units: tuple[UnitSpec, ...]


DISTRICTS: tuple[DistrictSpec, ...] = (
    DistrictSpec(
        "jiangbei",
        "江北区",
        "jiangbei-3x",
        (
            UnitSpec("jb-fgw", "区发改委", "department", pilot=True, deputies=4),
            UnitSpec("jb-fgj", "区房管局", "department", pilot=True),
            UnitSpec("jb-szyl", "区市政园林局", "department", pilot=True, deputies=4),
            UnitSpec("jb-ajj", "区安监局", "department", pilot=True),
            UnitSpec("jb-hbj", "区环保局", "department", pilot=True),
            UnitSpec("jb-gsj", "区国税局", "branch", pilot=True),
            UnitSpec("jb-wld", "五里店街道", "subdistrict", pilot=True),
            UnitSpec("jb-fsz", "复盛镇", "township", pilot=True, deputies=4),
            UnitSpec("jb-jw", "区教委", "department"),
            UnitSpec("jb-wtj", "区文化委", "department"),
            UnitSpec("jb-gyq", "观音桥街道", "subdistrict"),
        ),
    ),
    DistrictSpec(
        "nanchuan",
        "南川区",
        "nanchuan-5",
        (
            UnitSpec("nc-wsj", "区卫生局", "department", deputies=4),
            UnitSpec("nc-swj", "区水务局", "department"),
            UnitSpec("nc-hbj", "区环保局", "department"),
            UnitSpec("nc-jw", "区教委", "department"),
            UnitSpec("nc-yqx", "鱼泉乡", "xiang"),
            UnitSpec("nc-ncjd", "南城街道", "subdistrict"),
            UnitSpec("nc-dcjd", "东城街道", "subdistrict"),
            UnitSpec("nc-jsz", "金山镇", "township"),
            UnitSpec("nc-jtj", "区交通局", "department"),
        ),
    ),
    DistrictSpec(
        "yongchuan",
        "永川区",
        "jiangbei-3x",
        (
            UnitSpec("yc-czj", "区财政局", "department"),
            UnitSpec("yc-jw", "区教委", "department"),
            UnitSpec("yc-wsj", "区卫生局", "department"),
            UnitSpec("yc-sll", "胜利路街道", "subdistrict"),
            UnitSpec("yc-ztz", "朱沱镇", "township"),
            UnitSpec("yc-slz", "松溉镇", "township"),
        ),
    ),
)

# Titles by unit kind: (principal, deputy titles in order, inspector, staff titles in order)
TITLES: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    "department": (
        "党组书记、局长",
        ("副局长", "副局长", "副局长", "副局长"),
        "纪检组长",
        ("办公室科员", "财务科科员", "法制科科员"),
    ),
    "branch": (
        "党组书记、局长",
        ("副局长", "副局长", "副局长", "副局长"),
        "纪检组长",
        ("办公室科员", "财务科科员", "法制科科员"),
    ),
    "township": (
        "镇党委书记",
        ("镇长", "副镇长", "副镇长", "党委副书记"),
        "镇纪委书记",
        ("党政办科员", "财政所会计", "综合执法科员"),
    ),
    "xiang": (
        "乡党委书记",
        ("乡长", "副乡长", "副乡长", "党委副书记"),
        "乡纪委书记",
        ("党政办科员", "财政所会计", "综合执法科员"),
    ),
    "subdistrict": (
        "街道党工委书记",
        ("办事处主任", "副主任", "副主任", "党工委副书记"),
        "街道纪工委书记",
        ("党政办科员", "财政所会计", "城管执法科员"),
    ),
}
# A few units whose names read better with their own titles.
TITLE_OVERRIDES = {
    "jb-fgw": ("党组书记、主任", ("副主任", "副主任", "副主任", "副主任")),
    "nc-jw": ("党委书记、主任", ("副主任", "副主任", "副主任", "副主任")),
    "jb-jw": ("党委书记、主任", ("副主任", "副主任", "副主任", "副主任")),
    "jb-wtj": ("党委书记、主任", ("副主任", "副主任", "副主任", "副主任")),
    "yc-jw": ("党委书记、主任", ("副主任", "副主任", "副主任", "副主任")),
    # 南城街道's principal is the office director (the seed's "财政一支笔"); the party secretary is a deputy here.
    "nc-ncjd": ("办事处主任", ("党工委副书记", "副主任", "副主任", "副主任")),
}
STAFF_PER_UNIT = 3

# The seed's protagonists, by account (issue 13 item 6), played by fictional people (docs/demo.md maps
# them to the report's roles). The deputy named is the one the powers step puts
# in charge of the story's power: nc-hbj finance → deputy1, nc-swj construction → deputy1 (after the
# 2 March adjustment), nc-jw construction → deputy2.
SEED_PEOPLE: dict[str, str] = {
    "nc-hbj-principal": "韩立群",  # 环保局“一把手”
    "nc-hbj-deputy1": "柯明远",  # 环保局副局长，2.96亿元融资项目签字人
    "nc-swj-principal": "邓国华",  # 水务局局长
    "nc-swj-deputy1": "罗建川",  # 水务局副局长，拦水大坝和南山堰全权负责
    "nc-jw-deputy2": "曾文涛",  # 教委副主任，5亿元校区项目全程负责
    "nc-wsj-principal": "孟雅琴",  # 卫生局局长，人民医院迁建引资
    "nc-yqx-principal": "冉秀英",  # 鱼泉乡党委书记，末位表态
    "nc-ncjd-principal": "谭晓雯",  # 南城街道办事处主任，“财政一支笔”
}
