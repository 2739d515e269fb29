"""The world of the adversarial invariant test (tests/flows/test_invariants.py), and the SPEC's own
numbers that its oracle uses — written here from SPEC §3–5, never read from the code under test.

One district, one unit on the jiangbei-3x policy (finance, personnel, procurement restricted) with X =
construction + administrative enforcement, a filed division plan, three budget lines and a legal
officer for the R-MAT-7 panel. The cast is conftest.build_world()'s, plus `legal`:

    principal   一把手 (chairs meetings; never decides a restricted matter)
    deputy      副职, in charge of finance
    deputy2     副职, in charge of procurement and construction
    deputy3     副职, in charge of personnel, enforcement and general affairs
    inspector   纪检组长
    staff       经办人 (the usual submitter)      staff2   经办人 #2
    legal       法制员 (staff; sits on the enforcement joint-review panel)
    admin       the district's commission admin
    outsider    no role anywhere
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from conftest import TERM_START, build_world
from zhiheng.core import clock
from zhiheng.matters.services import budget
from zhiheng.matters.tests.conftest import ensure_categories, ensure_template
from zhiheng.org.tests.factories import MembershipFactory, PersonFactory
from zhiheng.parameters.tests.factories import put
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers import services as power_services

DAY = dt.date(2026, 3, 2)  # every example starts on this day at 10:00, Asia/Shanghai
START = clock.at(DAY, 10)

PERSONAS = (
    "principal",
    "deputy",
    "deputy2",
    "deputy3",
    "inspector",
    "staff",
    "staff2",
    "legal",
    "admin",
    "outsider",
)
DEPUTIES = ("deputy", "deputy2", "deputy3")

# (power code, name, category at the start, deputy in charge in the first plan)
POWERS = (
    ("finance", "财务收支审批", "finance", "deputy"),
    ("procurement", "物资采购", "procurement", "deputy2"),
    ("personnel", "干部人事任免", "personnel", "deputy3"),
    ("construction", "工程建设管理", "construction", "deputy2"),
    ("admin-enforcement", "行政执法", "admin_enforcement", "deputy3"),
    ("general", "综合事务", "general", "deputy3"),
)
POWER_CODES = tuple(code for code, *_ in POWERS)


# R-DIV-3: jiangbei-3x restricts the common three; the unit chose construction and enforcement as X.
RESTRICTED_CATEGORIES = frozenset(
    {"finance", "personnel", "procurement", "construction", "admin_enforcement"}
)

# Budget lines (R-MAT-5): code → amount in yuan.
BUDGET_LINES = {"office": "100000.00", "big": "10000000.00", "small": "20000.00"}

# --- the SPEC's defaults, as the oracle's independent reading (R-MAT-3/5/7) -------------------------

COLLECTIVE_THRESHOLD = Decimal("50000")  # expenditures and purchases: "reaches" means >=
CONSTRUCTION_THRESHOLD = Decimal("100000")  # construction contracts and design changes
PENALTY_REVIEW_OVER = Decimal("10000")  # R-MAT-7: penalties *above* ¥10,000, and licence revocations

# R-MAT-1: the kinds of matter an exercise of each category of power can be. A matter whose declared
# kind does not fit its power's category is judged as the category's own kind: naming a finance
# expenditure "other" must not make it something the rules forget about.
KINDS_OF_CATEGORY = {
    "finance": ("expenditure",),
    "procurement": ("purchase",),
    "personnel": ("personnel_appointment", "personnel_action"),
    "construction": ("construction_contract", "design_change"),
    "admin_enforcement": ("penalty", "licence_revocation"),
    "admin_approval": ("admin_approval",),
    "project_approval": ("admin_approval",),
}
MONEY_KINDS = frozenset({"expenditure", "purchase"})
CONSTRUCTION_KINDS = frozenset({"construction_contract", "design_change"})

# States (R-MAT-1) the invariants reason about, spelled out rather than imported from matters.states.
DECIDED_STATES = frozenset({"approved", "awaiting_cosign", "executed", "rejected"})
RESERVING_STATES = frozenset({"awaiting_cosign", "approved", "executed"})


def ensure_catalogue_data() -> None:
    """Categories and the jiangbei-3x template, with or without the powers data migration."""
    ensure_categories()
    ensure_template()


def build_invariants_world() -> SimpleNamespace:
    """Build the world through the services (so its history is in the ledger), clock frozen on DAY."""
    with clock.frozen(START):
        w = build_world()
        ensure_catalogue_data()
        w.legal = PersonFactory(username="t-legal", name="法制员")
        MembershipFactory(person=w.legal, unit=w.unit, role="staff", title="法制员", start=TERM_START)
        for code, name, category, _deputy in POWERS:
            power_services.save_power(by=None, unit=w.unit, code=code, name=name, category=category)
        power_services.set_unit_policy(
            by=None,
            unit=w.unit,
            template=power_selectors.latest_template("jiangbei-3x"),
            x_categories=["construction", "admin_enforcement"],
            in_force_from=TERM_START,
        )
        put("matters", unit=w.unit, values={"legal_officer": w.legal.pk})
        w.lines = {
            code: budget.set_budget_line(by=None, unit=w.unit, code=code, name=f"预算 {code}", amount=amount)
            for code, amount in BUDGET_LINES.items()
        }
    with clock.frozen(clock.at(dt.date(2012, 1, 2))):
        assignments = [(code, getattr(w, deputy).username) for code, _n, _c, deputy in POWERS]
        plan = power_services.draft_plan(by=w.principal, unit=w.unit, assignments=assignments)
        power_services.file_plan(by=w.principal, plan=plan)
    w.people = {name: getattr(w, name) for name in PERSONAS}
    w.by_pk = {p.pk: name for name, p in w.people.items()}
    return w
