"""R-DIV-1..6 through the services: drafting, filing, versions, policies and the authority query."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.org import services as org_services
from zhiheng.powers import selectors, services
from zhiheng.powers.models import DivisionPlan, PlanStatus

from .conftest import DAY, filed_plan, set_policy

pytestmark = pytest.mark.django_db


def power(w, code, unit=None):
    return selectors.get_power(unit or w.unit, code)


def test_restricted_is_computed_from_template_and_x_choice(pw):
    flags = {p.code: r for p, r in selectors.powers_with_restriction(pw.unit)}
    assert flags == {
        "finance": True,
        "personnel": True,
        "procurement": True,
        "construction": True,
        "general": False,
    }
    # other_unit has no policy: nothing restricted there (and no guessing)
    assert selectors.is_restricted(power(pw, "finance", pw.other_unit)) is False


def test_changing_a_unit_policy_is_dated_and_recorded(pw):
    before = Entry.objects.count()
    set_policy(pw, "nanchuan-5", by=pw.admin)
    assert Entry.objects.count() == before + 1
    assert Entry.objects.order_by("-index").first().event_type == "powers.policy_set"
    assert selectors.is_restricted(power(pw, "construction"), DAY) is True
    assert selectors.policy_on(pw.unit, DAY - dt.timedelta(days=1)).template.code == "jiangbei-3x"
    assert selectors.policy_on(pw.unit, DAY).template.code == "nanchuan-5"


def test_x_choice_refused_on_a_template_without_it(pw):
    with pytest.raises(Invalid) as exc:
        set_policy(pw, "nanchuan-5", by=pw.admin, x_categories=["project_approval"])
    assert exc.value.rule == "R-DIV-3"


@pytest.mark.parametrize("who", ["principal", "deputy", "staff", "other_admin", "outsider"])
def test_only_the_commission_admin_sets_policy(pw, who):
    before = Entry.objects.count()
    with pytest.raises(Forbidden) as exc:
        set_policy(pw, "nanchuan-5", by=getattr(pw, who))
    assert exc.value.rule == "R-DIV-3"
    assert Entry.objects.count() == before
    assert selectors.policy_on(pw.unit, DAY).template.code == "jiangbei-3x"


def test_a_district_versions_its_own_template_not_a_citywide_one(pw):
    def version(code="test-4", *, by=pw.admin, district=pw.district, restricted=(), x_choice=True):
        return services.version_template(
            by=by,
            district=district,
            code=code,
            name="四不直接分管",
            restricted=list(restricted),
            x_choice=x_choice,
            effective_from=DAY,
        )

    mine = version(restricted=["finance", "personnel", "procurement", "construction"], x_choice=False)
    again = version(restricted=["finance", "personnel"])
    assert (mine.version, again.version) == (1, 2)
    assert set(mine.restricted.values_list("code", flat=True)) == {
        "finance",
        "personnel",
        "procurement",
        "construction",
    }
    with pytest.raises(Forbidden):
        version("jiangbei-3x")  # the citywide template
    with pytest.raises(Forbidden):
        version(by=pw.other_admin, district=pw.far_district)


def test_draft_then_file_makes_the_plan_in_force_and_writes_three_ledger_events(pw):
    before = Entry.objects.count()
    plan = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid, note="首版")
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)
    assert selectors.plan_in_force(pw.unit) is None
    plan = services.file_plan(by=pw.principal, plan=plan)
    assert (plan.status, plan.in_force_from) == (PlanStatus.FILED, DAY)
    assert selectors.plan_in_force(pw.unit).pk == plan.pk
    events = list(
        Entry.objects.filter(index__gte=before).order_by("index").values_list("event_type", flat=True)
    )
    assert events == ["powers.plan_drafted", "powers.plan_filed", "powers.plan_in_force"]
    assert selectors.deputy_in_charge(pw.unit, power(pw, "finance")) == pw.deputy


def refused_draft(pw, assignments) -> Invalid:
    """The principal drafts `assignments` and is refused as invalid: the refusal."""
    with pytest.raises(Invalid) as exc:
        services.draft_plan(by=pw.principal, unit=pw.unit, assignments=assignments)
    return exc.value


def test_invalid_plan_is_refused_whole_with_every_violation(pw):
    before = (Entry.objects.count(), DivisionPlan.objects.count())
    bad = [
        ("finance", pw.principal.username),
        ("procurement", pw.deputy.username),
        ("procurement", pw.deputy2.username),
        ("general", pw.staff.username),
    ]
    refusal = refused_draft(pw, bad)
    assert refusal.rule == "R-DIV-4"
    found = sorted((v["kind"], v["power"]) for v in refusal.detail["violations"])
    assert found == [
        ("not_deputy", "general"),
        ("restricted_to_principal", "finance"),
        ("split", "procurement"),
        ("unassigned", "construction"),
        ("unassigned", "personnel"),
    ]
    assert (Entry.objects.count(), DivisionPlan.objects.count()) == before


def test_incompatible_pair_configured_by_the_district(pw):
    plan = [
        ("finance", pw.deputy.username),
        ("procurement", pw.deputy.username),
        ("personnel", pw.deputy3.username),
        ("construction", pw.deputy2.username),
    ]
    assert {v["kind"] for v in refused_draft(pw, plan).detail["violations"]} == {"incompatible"}


def test_filing_a_non_draft_is_a_conflict(pw):
    plan = filed_plan(pw)
    before = Entry.objects.count()
    with pytest.raises(Conflict) as exc:
        services.file_plan(by=pw.principal, plan=plan)
    assert exc.value.rule == "R-DIV-5"
    assert Entry.objects.count() == before


def test_filing_with_a_past_in_force_date_is_refused(pw):
    plan = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    with pytest.raises(Invalid) as exc:
        services.file_plan(by=pw.principal, plan=plan, in_force_from=DAY - dt.timedelta(days=1))
    assert exc.value.rule == "R-DIV-6"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_filing_revalidates_against_terms_on_the_in_force_date(pw):
    plan = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=pw.valid)
    membership = pw.deputy3.memberships.get(unit=pw.unit)
    org_services.end_term(by=None, membership=membership, end=DAY + dt.timedelta(days=5))
    with pytest.raises(Invalid) as exc:
        services.file_plan(by=pw.principal, plan=plan, in_force_from=DAY + dt.timedelta(days=10))
    assert {v["kind"] for v in exc.value.detail["violations"]} == {"not_deputy"}


def test_authority_query_across_versions_and_term_changes(pw):
    finance, construction = power(pw, "finance"), power(pw, "construction")
    v1 = filed_plan(pw)
    later = DAY + dt.timedelta(days=30)
    moved = [(p, pw.deputy.username if p == "construction" else d) for p, d in pw.valid]
    moved = [(p, pw.deputy3.username) if p == "finance" else (p, d) for p, d in moved]
    v2 = filed_plan(pw, moved, on=later)
    assert v2.version == 2
    assert selectors.plan_in_force(pw.unit, later - dt.timedelta(days=1)).pk == v1.pk
    assert selectors.deputy_in_charge(pw.unit, construction, DAY) == pw.deputy2
    assert selectors.deputy_in_charge(pw.unit, construction, later) == pw.deputy
    assert selectors.deputy_in_charge(pw.unit, finance, later) == pw.deputy3
    assert selectors.deputy_in_charge(pw.unit, finance, DAY - dt.timedelta(days=1)) is None  # before any plan
    assert set(selectors.powers_held_by(pw.deputy2, pw.unit, DAY).values_list("code", flat=True)) == {
        "procurement",
        "construction",
    }
    assert set(selectors.powers_held_by(pw.deputy2, pw.unit, later).values_list("code", flat=True)) == {
        "procurement"
    }
    # a deputy whose term ends no longer answers, though the plan still names them
    membership = pw.deputy.memberships.get(unit=pw.unit)
    org_services.end_term(by=None, membership=membership, end=later + dt.timedelta(days=9))
    assert selectors.deputy_in_charge(pw.unit, construction, later + dt.timedelta(days=9)) == pw.deputy
    assert selectors.deputy_in_charge(pw.unit, construction, later + dt.timedelta(days=10)) is None
    assert not selectors.powers_held_by(pw.deputy, pw.unit, later + dt.timedelta(days=10)).exists()


def test_authority_query_is_one_query_whatever_the_history(pw, django_assert_num_queries):
    for i in range(6):
        filed_plan(pw, on=DAY + dt.timedelta(days=i))
    finance = power(pw, "finance")
    with django_assert_num_queries(1):
        assert selectors.deputy_in_charge(pw.unit, finance, DAY + dt.timedelta(days=3)) == pw.deputy
    with django_assert_num_queries(1):
        assert len(list(selectors.powers_held_by(pw.deputy2, pw.unit, DAY + dt.timedelta(days=3)))) == 2
    with django_assert_num_queries(1):
        assert len(selectors.in_charge_map(pw.unit, DAY + dt.timedelta(days=3))) == 5
    with django_assert_num_queries(3):
        assert selectors.is_restricted(finance) is True


def test_filing_board_tracks_filed_late_and_missing(pw):
    services.set_deadline(
        by=pw.admin, district=pw.district, label="2026年度", opens_on=DAY, due=DAY + dt.timedelta(days=10)
    )
    filed_plan(pw)
    services.save_power(by=None, unit=pw.other_unit, code="general", name="综合", category="general")
    board = {
        r["unit"].code: r["status"]
        for r in selectors.filing_board(pw.district, selectors.open_deadline(pw.district))
    }
    assert board == {"t-unit": "filed", "t-other": "missing"}
    with clock.frozen(clock.at(DAY + dt.timedelta(days=11))):
        plan = services.draft_plan(by=pw.other_principal, unit=pw.other_unit, assignments=[])
        services.file_plan(by=pw.other_principal, plan=plan)
        # a later adjustment of an on-time unit is not "late": the round was answered
        again = filed_plan(pw)
    assert again.deadline is None and again.filed_late is False
    board = {
        r["unit"].code: r["status"]
        for r in selectors.filing_board(pw.district, selectors.open_deadline(pw.district))
    }
    assert board == {"t-unit": "filed", "t-other": "late"}


def test_plans_coming_into_force_later_are_recorded_on_the_day_once(pw):
    plan = filed_plan(pw, on=DAY + dt.timedelta(days=3))
    assert not Entry.objects.filter(event_type="powers.plan_in_force").exists()
    assert services.record_plans_coming_into_force(DAY + dt.timedelta(days=2)) == 0
    assert services.record_plans_coming_into_force(DAY + dt.timedelta(days=3)) == 1
    assert services.record_plans_coming_into_force(DAY + dt.timedelta(days=4)) == 0
    assert (
        Entry.objects.filter(
            event_type="powers.plan_in_force", subject=f"plan:t-unit/v{plan.version}"
        ).count()
        == 1
    )


def test_plan_diff_lists_only_changed_powers(pw):
    v1 = filed_plan(pw)
    moved = [(p, pw.deputy.username) if p == "construction" else (p, d) for p, d in pw.valid]
    v2 = services.draft_plan(by=pw.principal, unit=pw.unit, assignments=moved)
    rows = selectors.plan_diff(v1, v2)
    assert [(r["power"].code, r["before"], r["after"]) for r in rows] == [
        ("construction", pw.deputy2, pw.deputy)
    ]
