"""The `mw` fixture: the `world` personas with a catalogue, a 3+X policy, a filed plan, budget lines and
a legal officer, on DAY (frozen clock).

powers: the powers world's catalogue (zhiheng/powers/tests/conftest.py) + admin-enforcement
unit on jiangbei-3x from 2012-01-01, X = construction + admin_enforcement
plan: finance→deputy, procurement→deputy2, personnel→deputy3, construction→deputy2,
      admin-enforcement→deputy3, general→deputy3 (not restricted)
budget lines: office (办公经费 ¥100,000), big (专项 ¥10,000,000)
legal officer: t-legal (a third staff member)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhiheng.accounts.services import issue_token
from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.matters import services
from zhiheng.matters.models import BudgetLine, Matter
from zhiheng.matters.services import budget
from zhiheng.org.tests.factories import PASSWORD, MembershipFactory, PersonFactory
from zhiheng.parameters.tests.factories import put
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers import services as power_services
from zhiheng.powers.models import Category, PolicyTemplate
from zhiheng.powers.tests import conftest as powers_world

DAY = powers_world.DAY
# The powers world's catalogue, and a power whose big penalties need a joint review (R-MAT-7).
POWERS = [*powers_world.POWERS, ("admin-enforcement", "行政执法", "admin_enforcement")]
CATEGORY_NAMES = {
    "finance": "财务",
    "personnel": "人事",
    "procurement": "采购",
    "construction": "工程建设",
    "admin_approval": "行政审批",
    "admin_enforcement": "行政执法",
    "project_approval": "项目审批",
    "general": "综合",
}


def ensure_categories() -> None:
    """Works with or without the powers data migration."""
    for sort, (code, name) in enumerate(CATEGORY_NAMES.items()):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_common": code in ("finance", "personnel", "procurement"),
                "sort": sort,
            },
        )


def ensure_template() -> None:
    """jiangbei-3x as the powers data migration seeds it (flushed by transactional tests)."""
    if PolicyTemplate.objects.filter(code="jiangbei-3x").exists():
        return
    template = PolicyTemplate.objects.create(
        code="jiangbei-3x", version=1, name="3+X", x_choice=True, effective_from=dt.date(2012, 1, 1)
    )
    template.restricted.set(Category.objects.filter(code__in=["finance", "personnel", "procurement"]))


def setup_unit(w, *, unit=None, assignments=None):
    unit = unit or w.unit
    for code, name, category in POWERS:
        power_services.save_power(by=None, unit=unit, code=code, name=name, category=category)
    powers_world.set_policy(
        w,
        "jiangbei-3x",
        by=None,
        unit=unit,
        x_categories=["construction", "admin_enforcement"],
        in_force_from=dt.date(2012, 1, 1),
    )
    assignments = assignments or [
        *powers_world.valid_assignments(w),
        ("admin-enforcement", w.deputy3.username),
    ]
    principal = w.principal if unit == w.unit else w.other_principal
    with clock.frozen(clock.at(dt.date(2012, 1, 2))):
        plan = power_services.draft_plan(by=principal, unit=unit, assignments=assignments)
        power_services.file_plan(by=principal, plan=plan)


@pytest.fixture
def at_day():
    with clock.frozen(clock.at(DAY)):
        yield DAY


def build_matters_world(w):
    ensure_categories()
    ensure_template()
    setup_unit(w)
    w.legal = PersonFactory(username="t-legal", name="法制员")
    MembershipFactory(person=w.legal, unit=w.unit, role="staff", title="法制员", start=dt.date(2012, 1, 1))
    put("matters", unit=w.unit, values={"legal_officer": w.legal.pk})
    w.office = budget.set_budget_line(
        by=None, unit=w.unit, code="office", name="办公经费", amount="100000.00"
    )
    w.big = budget.set_budget_line(by=None, unit=w.unit, code="big", name="专项经费", amount="10000000.00")
    w.power = {code: power_selectors.get_power(w.unit, code) for code, _n, _c in POWERS}
    return w


@pytest.fixture
def mw(world, at_day):
    return build_matters_world(world)


class LedgerCount:
    def __init__(self):
        self.start = Entry.objects.count()

    @property
    def added(self) -> int:
        return Entry.objects.count() - self.start


@pytest.fixture
def ledger_count():
    return LedgerCount


def small_matter(w, *, title: str = "购买打印纸", amount: str = "100.00") -> Matter:
    """A finance matter (restricted: the deputy in charge decides alone) that `staff` submits against
    the office line."""
    return services.submit(
        by=w.staff,
        unit=w.unit,
        power=w.power["finance"],
        title=title,
        amount=amount,
        budget_line=w.office,
    )


def snapshot(matter: Matter) -> tuple:
    """What a refused action must leave as it was: the matter's row, its co-signatures, joint opinions,
    evidence and history, and every budget line's reservation (the ledger is counted apart)."""
    m = Matter.objects.get(pk=matter.pk)
    return (
        {f.attname: getattr(m, f.attname) for f in Matter._meta.concrete_fields},
        sorted(m.cosigns.values_list("signer_id", "role", "signed_at")),
        sorted(m.joint_opinions.values_list("member_id", "opinion")),
        m.evidence.count(),
        m.events.count(),
        tuple(BudgetLine.objects.order_by("pk").values_list("reserved", flat=True)),
    )


def bearer_client(person, **kwargs) -> Client:
    """A plain Django test client signed in with `person`'s API token (multipart uploads, raw headers)."""
    token = issue_token(username=person.username, password=PASSWORD)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)
