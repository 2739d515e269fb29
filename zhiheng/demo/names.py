"""Plausible, fictional Chinese names from a fixed seed: the same run always gives the same people."""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉力鹏宇浩凯健俊峰波斌红玲梅琳云飞鑫宁志坤晓雪燕婷"
    "海东林立新春丹蓉川渝山江成德远清荣泽安庆福兴旭晨阳光亮元彬琴萍莉颖倩欣悦然睿哲"
)


class NameMaker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            given_len = 1 if self.rng.random() < 0.3 else 2
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(given_len))
            if name not in self.used:
                self.used.add(name)
                return name
