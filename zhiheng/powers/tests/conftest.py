"""The `pw` fixture: the `world` personas plus a catalogue, a 3+X policy and the finance×procurement pair.

unit on jiangbei-3x from 2012-01-01 with X = construction
powers: finance, personnel, procurement, construction (restricted), general (not restricted)
VALID: finance→deputy, procurement→deputy2, personnel→deputy3, construction→deputy2, general→deputy3
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.powers import selectors, services
from zhiheng.powers.seed import ensure_seeded

DAY = dt.date(2026, 3, 2)
POWERS = [
    ("finance", "财务收支审批", "finance"),
    ("personnel", "干部人事任免", "personnel"),
    ("procurement", "物资采购", "procurement"),
    ("construction", "工程建设管理", "construction"),
    ("general", "综合事务", "general"),
]


def valid_assignments(w) -> list[tuple[str, str]]:
    return [
        ("finance", w.deputy.username),
        ("procurement", w.deputy2.username),
        ("personnel", w.deputy3.username),
        ("construction", w.deputy2.username),
        ("general", w.deputy3.username),
    ]


def set_policy(w, template: str, *, by, x_categories=(), in_force_from=DAY, unit=None):
    """The unit's policy (R-DIV-3): the latest version of `template`, with its X choice, from a date."""
    return services.set_unit_policy(
        by=by,
        unit=unit or w.unit,
        template=selectors.latest_template(template),
        x_categories=x_categories,
        in_force_from=in_force_from,
    )


@pytest.fixture
def at_day():
    with clock.frozen(clock.at(DAY)):
        yield DAY


@pytest.fixture
def pw(world, at_day):
    ensure_seeded()  # a transactional test's flush empties the data migration's rows
    w = world
    for code, name, category in POWERS:
        services.save_power(
            by=None,
            unit=w.unit,
            code=code,
            name=name,
            category=category,
            legal_basis="《测试法》第一条",
            flowchart=[
                {"step": "受理", "role": "经办人", "output": "受理单"},
                {"step": "审批", "role": "分管副职"},
            ],
        )
    services.save_power(by=None, unit=w.other_unit, code="finance", name="财务", category="finance")
    set_policy(w, "jiangbei-3x", by=None, x_categories=["construction"], in_force_from=dt.date(2012, 1, 1))
    services.add_incompatible_pair(by=None, district=w.district, first="finance", second="procurement")
    w.valid = valid_assignments(w)
    return w


def filed_plan(w, assignments=None, *, on: dt.date | None = None):
    """Draft and file a plan as the principal (in force from `on`, default today)."""
    plan = services.draft_plan(by=w.principal, unit=w.unit, assignments=assignments or w.valid)
    return services.file_plan(by=w.principal, plan=plan, in_force_from=on)


# The district's configuration (R-DIV-2..5, R-ORG-3), through the API and the pages alike.
REFUSED = {  # persona → status for a district admin's action (the admin gets the success status)
    "other_admin": 404,  # cannot see the district at all
    "outsider": 404,
    "principal": 403,
    "deputy": 403,
    "inspector": 403,
    "staff": 403,
}


def config_snapshot() -> tuple[int, ...]:
    """What a refused configuration change must leave as it was (ledger included)."""
    from zhiheng.ledger.models import Entry
    from zhiheng.powers.models import Category, FilingDeadline, IncompatiblePair, PolicyTemplate, UnitPolicy

    return (
        Entry.objects.count(),
        PolicyTemplate.objects.count(),
        UnitPolicy.objects.count(),
        IncompatiblePair.objects.filter(retired_on__isnull=True).count(),
        FilingDeadline.objects.count(),
        Category.objects.count(),
    )
