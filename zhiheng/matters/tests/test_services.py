"""The engine through its services (R-MAT-1..7). Every refusal asserts that nothing changed and that no
ledger entry was written (except RF1's own warning entry)."""

from decimal import Decimal

import pytest

from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.matters import selectors, services
from zhiheng.matters.models import BudgetLine, Matter
from zhiheng.matters.tests.conftest import snapshot
from zhiheng.parameters.tests.factories import put
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db


def submit(w, power="finance", amount="1200.00", by=None, line="office", **kw):
    lines = {"office": w.office, "big": w.big, None: None}
    return services.submit(
        by=by or w.staff,
        unit=w.unit,
        power=w.power[power],
        title=kw.pop("title", "购买办公用纸"),
        amount=amount,
        budget_line=lines[line],
        **kw,
    )


def pass_collectively(w, m):
    m = services.refer_to_collective(matter=m, by=m.deputy, reason="上会")
    return services.apply_collective_decision(
        matter=m, outcome="passed", by=w.principal, meeting_ref="meeting:1/item:1"
    )


def refused(exc_type, rule, fn, matter, **kw):
    before = snapshot(matter), Entry.objects.count()
    with pytest.raises(exc_type) as exc:
        fn(matter=matter, **kw)
    assert exc.value.rule == rule
    assert (snapshot(matter), Entry.objects.count()) == before
    return exc.value


def refused_decision(exc_type, rule, matter, *, by, outcome="passed", meeting_ref="meeting:1/item:1"):
    """A collective decision on `matter` the engine refuses, changing nothing."""
    return refused(
        exc_type,
        rule,
        services.apply_collective_decision,
        matter,
        outcome=outcome,
        by=by,
        meeting_ref=meeting_ref,
    )


def test_submission_freezes_the_deputy_in_charge_and_records(mw, ledger_count):
    counter = ledger_count()
    m = submit(mw)
    assert (m.state, m.deputy, m.kind, m.amount) == (
        "submitted",
        mw.deputy,
        "expenditure",
        Decimal("1200.00"),
    )
    assert services.requires_of(m) == {"collective": False, "cosign": [], "joint_review": False}
    assert counter.added == 1
    entry = Entry.objects.order_by("-index").first()
    assert (entry.event_type, entry.subject, entry.actor) == ("matter.submitted", f"matter:{m.pk}", "t-staff")
    assert [e.action for e in selectors.history(m)] == ["submitted"]


def test_outsider_and_admin_cannot_submit(mw, ledger_count):
    counter = ledger_count()
    for person in (mw.outsider, mw.admin, mw.other_principal):
        with pytest.raises(Forbidden) as exc:
            submit(mw, by=person)
        assert exc.value.rule == "R-MAT-1"
    assert counter.added == 0 and Matter.objects.count() == 0


def test_submission_without_deputy_in_charge_is_refused(mw, ledger_count):
    from zhiheng.powers import services as power_services

    power_services.save_power(by=None, unit=mw.unit, code="unplanned", name="未分工", category="general")
    from zhiheng.powers.selectors import get_power

    counter = ledger_count()
    with pytest.raises(Conflict) as exc:
        services.submit(by=mw.staff, unit=mw.unit, power=get_power(mw.unit, "unplanned"), title="x")
    assert exc.value.rule == "R-DIV-4"
    assert counter.added == 0 and Matter.objects.count() == 0


def test_bad_input_is_refused(mw):
    with pytest.raises(Invalid):
        submit(mw, amount="12.345")
    with pytest.raises(Invalid):
        submit(mw, title="  ")
    with pytest.raises(Invalid):
        submit(mw, kind="bribe")


def test_deputy_in_charge_approves_and_reserves(mw, ledger_count):
    m = submit(mw)
    counter = ledger_count()
    m = services.approve(matter=m, by=mw.deputy, comment="同意")
    assert (m.state, m.decided_by, m.reserved_amount) == ("approved", mw.deputy, Decimal("1200.00"))
    assert BudgetLine.objects.get(pk=mw.office.pk).reserved == Decimal("1200.00")
    assert counter.added == 1
    assert [(e.action, e.note) for e in selectors.history(m)][-1] == ("approved", "同意")


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_principal_is_refused_and_rf1_persists(mw, ledger_count, action):
    m = submit(mw)
    fn = getattr(services, action)
    kw = {"comment": "不行"} if action == "reject" else {}
    counter = ledger_count()
    state_before = Matter.objects.get(pk=m.pk).state
    with pytest.raises(Forbidden) as exc:
        fn(matter=m, by=mw.principal, **kw)
    assert exc.value.rule == "R-MAT-2"
    assert Matter.objects.get(pk=m.pk).state == state_before
    warning = Warning.objects.get()
    assert (warning.rule, warning.unit, warning.subject, warning.level) == (
        "RF1",
        mw.unit,
        f"matter:{m.pk}",
        "high",
    )
    assert warning.records[0]["by"] == "t-principal"
    # Exactly one entry: the warning's own; no matter transition.
    assert counter.added == 1
    assert list(Entry.objects.order_by("-index").values_list("event_type", flat=True)[:1]) == [
        "risk.warning_raised"
    ]


def test_principal_may_not_cosign_restricted(mw):
    m = submit(mw, power="procurement", amount="250000.00", line="big")
    m = pass_collectively(mw, m)
    assert m.state == "awaiting_cosign"
    with pytest.raises(Forbidden) as exc:
        services.cosign(matter=m, by=mw.principal)
    assert exc.value.rule == "R-MAT-2" and Warning.objects.filter(rule="RF1").count() == 1


def test_principal_on_unrestricted_matter_is_refused_without_rf1(mw):
    m = submit(mw, power="general", amount=None, line=None)
    refused(Forbidden, "R-MAT-2", services.approve, m, by=mw.principal)
    assert not Warning.objects.exists()


@pytest.mark.parametrize("who", ["deputy2", "deputy3", "inspector", "staff", "staff2", "admin", "outsider"])
def test_only_the_deputy_in_charge_decides(mw, who):
    m = submit(mw)
    refused(Forbidden, "R-MAT-2", services.approve, m, by=getattr(mw, who))
    assert not Warning.objects.exists()


def test_nobody_decides_own_matter_or_as_counterparty(mw):
    own = submit(mw, by=mw.deputy)
    assert "self_interest" in own.collective_reasons  # the team decides it instead
    refused(Forbidden, "R-MAT-2", services.approve, own, by=mw.deputy)
    theirs = submit(mw, counterparty_person=mw.deputy, counterparty="李副甲")
    refused(Forbidden, "R-MAT-2", services.approve, theirs, by=mw.deputy)


def test_plan_change_after_submission_keeps_the_frozen_deputy(mw):
    m = submit(mw)
    assert m.deputy == mw.deputy
    refused(Forbidden, "R-MAT-2", services.approve, m, by=mw.deputy2)


@pytest.mark.parametrize(
    ("power", "amount", "line", "kw"),
    [
        ("finance", "60000.00", "big", {}),
        ("procurement", "50000.00", "big", {}),
        ("construction", "100000.00", "big", {"kind": "design_change"}),
        ("personnel", None, None, {}),
        ("general", "10.00", None, {"major": True}),
        ("finance", "100.00", None, {}),  # no budget line
        ("finance", "40000.00", "office", {}),  # fits, then a second does not
    ],
)
def test_collective_matters_are_not_decided_by_the_deputy(mw, power, amount, line, kw):
    if amount == "40000.00":
        BudgetLine.objects.filter(pk=mw.office.pk).update(amount=Decimal("30000.00"))
        mw.office.refresh_from_db()
    m = submit(mw, power=power, amount=amount, line=line, **kw)
    assert m.requires_collective
    deputy = m.deputy
    refused(Conflict, "R-MAT-3", services.approve, m, by=deputy)
    refused(Conflict, "R-MAT-3", services.reject, m, by=deputy, comment="no")
    assert m in selectors.list_awaiting_collective(mw.unit)


def test_budget_line_never_overspent(mw):
    a, b, c = (submit(mw, amount="40000.00") for _ in range(3))
    services.approve(matter=a, by=mw.deputy)
    services.approve(matter=b, by=mw.deputy)
    refused(Conflict, "R-MAT-5", services.approve, c, by=mw.deputy)
    assert BudgetLine.objects.get(pk=mw.office.pk).reserved == Decimal("80000.00")


def test_veto_stops_releases_and_sends_to_collective(mw, ledger_count):
    m = services.approve(matter=submit(mw, amount="30000.00"), by=mw.deputy)
    for who in ("deputy", "deputy2", "inspector", "staff", "admin"):
        refused(Forbidden, "R-MAT-6", services.veto, m, by=getattr(mw, who), reason="x")
    refused(Invalid, "R-MAT-6", services.veto, m, by=mw.principal, reason="  ")
    counter = ledger_count()
    m = services.veto(matter=m, by=mw.principal, reason="供应商资质存疑")
    assert (m.state, m.reserved_amount) == ("vetoed", None)
    assert BudgetLine.objects.get(pk=mw.office.pk).reserved == 0
    assert counter.added == 1 and not Warning.objects.exists()
    assert m in selectors.list_awaiting_collective(mw.unit)
    refused(Conflict, "R-MAT-1", services.approve, m, by=mw.deputy)  # a veto never approves
    m = services.apply_collective_decision(
        matter=m, outcome="passed", by=mw.principal, meeting_ref="meeting:3/item:1"
    )
    assert (m.state, m.reserved_amount, m.decision_ref) == (
        "approved",
        Decimal("30000.00"),
        "meeting:3/item:1",
    )


def test_veto_after_execution_is_refused(mw):
    m = services.approve(matter=submit(mw), by=mw.deputy)
    m = services.execute(matter=m, by=mw.staff)
    refused(Conflict, "R-MAT-6", services.veto, m, by=mw.principal, reason="晚了")


def test_collective_decisions(mw):
    m = submit(mw, amount="60000.00", line="big")
    refused_decision(Conflict, "R-MAT-3", m, by=mw.principal)
    m = services.refer_to_collective(matter=m, by=mw.principal, reason="列入议题")
    assert m.state == "collective_review"
    m = services.apply_collective_decision(
        matter=m, outcome="deferred", by=mw.principal, meeting_ref="meeting:1/item:1"
    )
    assert m.state == "collective_review"
    m = services.apply_collective_decision(
        matter=m, outcome="rejected", by=mw.principal, meeting_ref="meeting:2/item:1"
    )
    assert m.state == "rejected"
    refused_decision(Conflict, "R-MAT-3", m, by=mw.principal, meeting_ref="meeting:3/item:1")


def test_collective_decision_needs_collective_state_and_team(mw):
    m = submit(mw)
    refused_decision(Conflict, "R-MAT-3", m, by=mw.principal, meeting_ref="m")
    m2 = submit(mw, amount="60000.00", line="big")
    services.refer_to_collective(matter=m2, by=mw.deputy)
    refused_decision(Forbidden, "R-MAT-3", m2, by=mw.staff, meeting_ref="m")
    refused_decision(Invalid, "validation", m2, by=mw.principal, outcome="maybe", meeting_ref="m")


def test_refer_rights(mw):
    small = submit(mw)
    refused(Forbidden, "R-MAT-3", services.refer_to_collective, small, by=mw.principal)
    refused(Forbidden, "R-MAT-3", services.refer_to_collective, small, by=mw.staff)
    assert (
        services.refer_to_collective(matter=small, by=mw.deputy, reason="需集体研究").state
        == "collective_review"
    )


def test_cosign_flow(mw, ledger_count):
    m = submit(mw, power="procurement", amount="250000.00", line="big")
    assert services.requires_of(m)["cosign"] == ["t-deputy2", "t-deputy", "t-inspector"]
    m = pass_collectively(mw, m)
    assert m.state == "awaiting_cosign" and m.reserved_amount == Decimal("250000.00")
    refused(Conflict, "R-MAT-4", services.execute, m, by=mw.staff)
    refused(Forbidden, "R-MAT-4", services.cosign, m, by=mw.deputy3)
    services.cosign(matter=m, by=mw.deputy2)
    refused(Conflict, "R-MAT-4", services.cosign, m, by=mw.deputy2)
    services.cosign(matter=m, by=mw.deputy)
    assert Matter.objects.get(pk=m.pk).state == "awaiting_cosign"
    m = services.cosign(matter=m, by=mw.inspector)
    assert m.state == "approved"
    m = services.execute(matter=m, by=mw.staff)
    assert m.state == "executed"


def test_joint_review(mw):
    m = submit(mw, power="admin-enforcement", amount="20000.00", line=None, counterparty="某化工厂")
    assert (m.kind, m.requires_joint_review, m.requires_collective) == ("penalty", True, False)
    refused(Conflict, "R-MAT-7", services.approve, m, by=mw.deputy3)
    refused(Forbidden, "R-MAT-7", services.joint_review, m, by=mw.staff, opinion="agree")
    for who in ("deputy3", "legal"):
        services.joint_review(matter=m, by=getattr(mw, who), opinion="agree", reason="事实清楚")
    refused(Conflict, "R-MAT-7", services.joint_review, m, by=mw.legal, opinion="agree")
    refused(Conflict, "R-MAT-7", services.approve, m, by=mw.deputy3)
    m = services.joint_review(matter=m, by=mw.inspector, opinion="agree")
    assert m.state == "joint_review"
    assert services.approve(matter=m, by=mw.deputy3).state == "approved"


def test_joint_review_disagreement_goes_collective(mw):
    m = submit(mw, power="admin-enforcement", amount="0", line=None, kind="licence_revocation")
    services.joint_review(matter=m, by=mw.deputy3, opinion="agree")
    refused(Invalid, "validation", services.joint_review, m, by=mw.legal, opinion="disagree", reason="")
    services.joint_review(matter=m, by=mw.legal, opinion="disagree", reason="证据不足")
    m = services.joint_review(matter=m, by=mw.inspector, opinion="agree")
    assert (m.state, m.requires_collective) == ("collective_review", True)
    assert m in selectors.list_awaiting_collective(mw.unit)


def test_small_penalty_needs_no_joint_review(mw):
    m = submit(mw, power="admin-enforcement", amount="10000.00", line=None)
    assert not m.requires_joint_review
    assert services.approve(matter=m, by=mw.deputy3).state == "approved"


def test_withdraw_and_execute_rights(mw):
    m = submit(mw)
    refused(Forbidden, "R-MAT-1", services.withdraw, m, by=mw.staff2)
    refused(Forbidden, "R-MAT-1", services.withdraw, m, by=mw.deputy)
    assert services.withdraw(matter=m, by=mw.staff).state == "withdrawn"
    refused(Conflict, "R-MAT-1", services.approve, m, by=mw.deputy)
    m2 = services.approve(matter=submit(mw), by=mw.deputy)
    refused(Conflict, "R-MAT-1", services.withdraw, m2, by=mw.staff)
    refused(Forbidden, "R-MAT-1", services.execute, m2, by=mw.staff2)
    refused(Forbidden, "R-MAT-1", services.execute, m2, by=mw.principal)
    assert services.execute(matter=m2, by=mw.deputy).state == "executed"


def test_rules_resolve_unit_over_district_over_defaults(mw):
    assert selectors.rules_for(mw.unit).collective_threshold == Decimal("50000.00")
    put(
        "matters",
        district=mw.district,
        values={"collective_threshold": "30000", "cosign_threshold": "100000"},
    )
    put("matters", unit=mw.unit, values={"collective_threshold": "20000", "legal_officer": mw.legal.pk})
    resolved = selectors.rules_for(mw.unit)
    assert (resolved.collective_threshold, resolved.cosign_threshold) == (Decimal("20000"), Decimal("100000"))
    assert resolved.legal_officer_id == mw.legal.pk
    assert selectors.rules_for(mw.other_unit).collective_threshold == Decimal("30000")
    assert submit(mw, amount="25000.00").requires_collective


def test_awaiting_collective_lists_submitted_collective_matters(mw):
    small = submit(mw)
    big = submit(mw, amount="60000.00", line="big")
    assert list(selectors.list_awaiting_collective(mw.unit)) == [big]
    assert small not in selectors.list_awaiting_collective(mw.unit)
