"""Synthetic frozen monthly reports (the dict `supervision.documents` renders), deterministic per seed:
a unit of a district, ~40 items (expenditures and purchases, some over the collective threshold, some
without a budget line, some never in a meeting), the totals, last year's month and the budget lines."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

DISTRICTS = [("nanchuan", "南川区"), ("jiangbei", "江北区"), ("yuzhong", "渝中区"), ("shapingba", "沙坪坝区")]
UNITS = [
    "园林局",
    "区国税局",
    "教育委员会",
    "卫生健康委员会",
    "交通局",
    "城市管理局",
    "文化旅游委员会",
    "农业农村委员会",
]
DEPUTIES = [("li", "李副甲"), ("wang", "王副乙"), ("zhao", "赵副丙"), ("zhe", "周喆"), ("kun", "吴堃")]
CATEGORIES = [
    ("office", "办公用品"),
    ("works", "工程修缮"),
    ("travel", "差旅"),
    ("services", "委托服务"),
    ("vehicles", "公务用车"),
    ("training", "培训会议"),
]
COUNTERPARTIES = [
    "重庆市南川区金佛山建筑工程有限公司",
    "重庆渝新办公设备有限公司",
    "中国石化重庆分公司",
    "重庆市公共资源交易中心",
    "南川区东城街道社区服务中心",
    "重庆银桥园林绿化有限公司",
    "重庆两江印务有限公司",
    "重庆市机关事务管理局招待所",
]
BUDGET_LINES = [
    ("30201", "办公费"),
    ("30213", "维修（护）费"),
    ("30211", "差旅费"),
    ("30227", "委托业务费"),
    ("30231", "公务用车运行维护费"),
    ("30216", "培训费"),
]
TITLES = [
    "采购办公电脑及打印机",
    "修缮办公楼屋顶防水",
    "赴市里参加财务培训差旅",
    "委托编制年度绩效评价报告",
    "公务用车年度保养",
    "组织干部廉政教育培训",
    "采购园林绿化苗木",
    "更换会议室音响设备",
]
THRESHOLD = Decimal("50000.00")


def _totals(items: list[dict[str, Any]], key: str, name: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "amount": Decimal(0)})
    for item in items:
        g = groups[item[key] or ""]
        g["name"] = item[name] or "无"
        g["count"] += 1
        g["amount"] += Decimal(item["amount"])
    rows = [
        {"key": k, "name": g["name"], "count": g["count"], "amount": f"{g['amount']:.2f}"}
        for k, g in groups.items()
    ]
    return sorted(rows, key=lambda r: -Decimal(r["amount"]))


def frozen_report(n: int, items: int = 40, seed: int = 14, month: str = "2026-10") -> dict[str, Any]:
    """Unit number `n`'s report for `month`, the same every time for the same arguments."""
    rng = random.Random(seed * 1_000_003 + n)
    district, district_name = DISTRICTS[n % len(DISTRICTS)]
    unit_name = UNITS[n % len(UNITS)]
    rows = []
    for i in range(max(1, items + rng.randint(-3, 3))):
        deputy, deputy_name = rng.choice(DEPUTIES)
        category, category_name = rng.choice(CATEGORIES)
        # most spending is small; about one item in twelve goes over the collective threshold
        cents = rng.choice((rng.randint(200_00, 20_000_00),) * 8 + (rng.randint(20_000_00, 120_000_00),) * 2)
        amount = Decimal(cents) / 100
        line = rng.choice(BUDGET_LINES) if rng.random() > 0.1 else (None, "")
        meeting = rng.randint(1, 40) if amount > THRESHOLD or rng.random() > 0.5 else None
        rows.append(
            {
                "matter": n * 100 + i + 1,
                "title": rng.choice(TITLES) + ("（第二批）" if i % 7 == 3 else ""),
                "kind": "purchase" if category in ("office", "works", "vehicles") else "expenditure",
                "deputy": deputy,
                "deputy_name": deputy_name,
                "category": category,
                "category_name": category_name,
                "counterparty": rng.choice(COUNTERPARTIES),
                "amount": f"{amount:.2f}",
                "budget_line": line[0],
                "budget_line_name": line[1],
                "meeting": meeting,
                "meeting_label": f"第{meeting}次党组会" if meeting else None,
                "decided_at": f"{month}-{rng.randint(1, 28):02d}T10:{rng.randint(0, 59):02d}:00+08:00",
                "over_threshold": amount > THRESHOLD,
                "no_budget_line": line[0] is None,
            }
        )
    total = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
    last_year = total * Decimal(rng.randint(60, 140)) / 100 if n % 5 else None
    year, mon = month.split("-")
    return {
        "unit": {
            "code": f"{district}-{n:04d}",
            "name": unit_name,
            "district": district,
            "district_name": district_name,
        },
        "month": month,
        "issued_at": f"{int(year) + (mon == '12')}-{int(mon) % 12 + 1:02d}-03T09:00:00+08:00",
        "items": rows,
        "totals": {
            "by_deputy": _totals(rows, "deputy", "deputy_name"),
            "by_category": _totals(rows, "category", "category_name"),
            "by_counterparty": _totals(rows, "counterparty", "counterparty"),
        },
        "total": f"{total:.2f}",
        "count": len(rows),
        "comparison": {
            "last_year_month": f"{int(year) - 1}-{mon}",
            "last_year_total": None if last_year is None else f"{last_year:.2f}",
            "change_pct": None if not last_year else f"{(total - last_year) * 100 / last_year:.1f}",
            "budget_lines": [
                {
                    "code": code,
                    "name": name,
                    "amount": "600000.00",
                    "consumed": f"{rng.randint(0, 550_000)}.00",
                    "remaining": "0.00",
                    "month_amount": f"{sum(Decimal(r['amount']) for r in rows if r['budget_line'] == code):.2f}",
                }
                for code, name in BUDGET_LINES
            ],
        },
        "threshold": f"{THRESHOLD:.2f}",
    }
