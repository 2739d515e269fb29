"""R-SUP-3 cases: several reports join one case, several named handlers, a deadline from the district's
limits that can be moved only with a reason (and the ledger keeps both dates), and the commission's desk
counts — over what the reader may see, never a report that concerns them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory
from zhiheng.reports import rules, selectors, services

TERM_START = dt.date(2012, 1, 1)


def _payload(event: str) -> dict:
    return json.loads(bytes(Entry.objects.filter(event_type=event).latest("index").data))["payload"]


@pytest.fixture
def second_admin(world):
    person = PersonFactory(username="t-admin2", name="第二位管理员")
    DistrictRoleFactory(person=person, district=world.district, role="commission_admin", start=TERM_START)
    return person


def _report(world, unit=None, person=None, subject="反映问题"):
    return services.receive(
        by=None, channel="web", subject=subject, body="内容", unit=(unit or world.unit).code, person=person
    ).report


def test_a_case_takes_the_districts_days_unless_a_deadline_is_set(world):
    case = services.open_case(by=world.admin, reports=[_report(world)], handlers=[])
    assert case.deadline == clock.today() + dt.timedelta(days=60)
    assert _payload("reports.case_opened")["case_deadline"] == case.deadline.isoformat()
    parameters.set_values("reports", by=None, district=world.district, values={"case_days": 30})
    later = services.open_case(by=world.admin, reports=[_report(world)], handlers=[])
    assert later.deadline == clock.today() + dt.timedelta(days=30)
    with pytest.raises(DomainError) as past:
        services.open_case(
            by=world.admin,
            reports=[_report(world)],
            handlers=[],
            deadline=clock.today() - dt.timedelta(days=1),
        )
    assert past.value.status == 422


def test_reports_join_an_open_case_once(world):
    first, second = _report(world), _report(world, subject="同一件事")
    case = services.open_case(by=world.admin, reports=[first], handlers=[])
    services.join_case(by=world.admin, case=case, reports=[second])
    assert set(case.reports.all()) == {first, second}
    assert _payload("reports.case_joined") == {
        "report_case": case.pk,
        "reports": [second.pk],
        "district": world.district.code,
    }
    with pytest.raises(DomainError) as again:
        services.join_case(by=world.admin, case=case, reports=[second])
    assert again.value.status == 409
    services.close_case(by=world.admin, case=case, outcome="dismissed", reason="查无实据")
    with pytest.raises(DomainError) as closed:
        services.join_case(by=world.admin, case=case, reports=[_report(world)])
    assert closed.value.status == 409


def test_a_report_that_concerns_a_named_handler_cannot_join_their_case(world, second_admin):
    case = services.open_case(by=world.admin, reports=[_report(world)], handlers=[world.admin, second_admin])
    naming_second = _report(world, person=second_admin.username)
    with pytest.raises(DomainError) as refused:
        services.join_case(by=world.admin, case=case, reports=[naming_second])
    assert refused.value.status == 422 and refused.value.detail["fields"]["handlers"] == ["t-admin2"]
    assert naming_second.case_id is None


def test_several_handlers_are_named_and_only_they_reveal(world, second_admin):
    named = services.receive(
        by=None,
        channel="web",
        subject="实名",
        body="内容",
        unit=world.unit.code,
        anonymous=False,
        name="张三",
    ).report
    case = services.open_case(by=world.admin, reports=[named], handlers=[world.admin])
    named.refresh_from_db()
    assert not rules.can_reveal(second_admin, named)
    services.assign_handlers(by=world.admin, case=case, handlers=[world.admin, second_admin])
    assert set(case.handlers.all()) == {world.admin, second_admin}
    assert _payload("reports.case_handlers_set")["handlers"] == sorted([world.admin.username, "t-admin2"])
    assert services.reveal_identity(by=second_admin, report=named, reason="当面核实")["name"] == "张三"
    for concerned in (world.principal, world.deputy, world.outsider):
        with pytest.raises(DomainError):
            services.assign_handlers(by=world.admin, case=case, handlers=[concerned])
    with pytest.raises(DomainError):
        services.assign_handlers(by=world.admin, case=case, handlers=[])
    assert set(case.handlers.all()) == {world.admin, second_admin}


def test_a_deadline_moves_only_forward_of_today_with_a_reason_and_the_ledger_keeps_both(world):
    case = services.open_case(by=world.admin, reports=[_report(world)], handlers=[])
    before = case.deadline
    with pytest.raises(DomainError):
        services.set_deadline(by=world.admin, case=case, deadline=before + dt.timedelta(days=30), reason=" ")
    with pytest.raises(DomainError):
        services.set_deadline(
            by=world.admin, case=case, deadline=clock.today() - dt.timedelta(days=1), reason="提前"
        )
    later = before + dt.timedelta(days=30)
    services.set_deadline(by=world.admin, case=case, deadline=later, reason="需调取银行流水")
    case.refresh_from_db()
    assert case.deadline == later
    assert _payload("reports.case_deadline_set") == {
        "report_case": case.pk,
        "case_deadline_before": before.isoformat(),
        "case_deadline": later.isoformat(),
        "reason": "需调取银行流水",
        "district": world.district.code,
    }
    with pytest.raises(DomainError):
        services.set_deadline(by=world.principal, case=case, deadline=later, reason="拖延")


def test_the_desk_counts_what_needs_the_commission(world):
    today = clock.today()
    with clock.frozen(clock.at(today - dt.timedelta(days=20))):
        old = _report(world, subject="二十天前")
    fresh = _report(world, unit=world.other_unit)
    answered = _report(world, unit=world.other_unit)
    services.write_as_handler(by=world.admin, report=answered, body="请补充时间")
    from zhiheng.reports.models import Report

    services.write_as_reporter(report=Report.objects.get(pk=answered.pk), body="去年五月")
    overdue = services.open_case(by=world.admin, reports=[_report(world)], handlers=[])
    overdue.deadline = today - dt.timedelta(days=1)
    overdue.save(update_fields=["deadline"])
    due_soon = services.open_case(
        by=world.admin, reports=[_report(world)], handlers=[], deadline=today + dt.timedelta(days=3)
    )
    services.open_case(
        by=world.admin, reports=[_report(world)], handlers=[], deadline=today + dt.timedelta(days=50)
    )
    desk = selectors.desk(world.admin, world.district, today)
    assert (desk.untriaged, desk.late, desk.answered) == (3, 1, 1)
    assert (desk.open_cases, desk.overdue, desk.due_soon) == (3, 1, 1)
    limits = selectors.limits_in(world.district)
    visible = selectors.list_reports_for(world.admin)
    assert list(selectors.filter_reports(visible, "late", today, limits)) == [old]
    assert fresh in selectors.filter_reports(visible, "untriaged", today, limits)
    cases = selectors.list_cases_for(world.admin)
    assert list(selectors.filter_cases(cases, "overdue", today, limits)) == [overdue]
    assert list(selectors.filter_cases(cases, "due_soon", today, limits)) == [due_soon]
    services.close_case(by=world.admin, case=overdue, outcome="lead_transferred", reason="移送")
    outcomes = dict(selectors.desk(world.admin, world.district, today).by_outcome)
    assert outcomes == {"lead_transferred": 1, "verified": 0, "dismissed": 0, "rectification": 0}


def test_the_desk_of_an_admin_concerned_counts_nothing_of_theirs(world, second_admin):
    _report(world, person=second_admin.username)
    case = services.open_case(
        by=world.admin, reports=[_report(world, person=second_admin.username)], handlers=[world.admin]
    )
    assert case.pk
    mine = selectors.desk(second_admin, world.district, clock.today())
    assert (mine.untriaged, mine.open_cases, mine.by_unit) == (0, 0, [])
    theirs = selectors.desk(world.admin, world.district, clock.today())
    assert (theirs.untriaged, theirs.open_cases) == (1, 1)


def test_the_case_pages_for_handlers_and_404_for_anyone_concerned(world, second_admin):
    report = _report(world, person=world.principal.username)
    handler = Client()
    handler.force_login(world.admin)
    opened = handler.post(
        f"/reports/{report.pk}/case/", {"handlers": [world.admin.pk, second_admin.pk], "deadline": ""}
    )
    assert opened.status_code == 302
    report.refresh_from_db()
    case = report.case
    page = handler.get(f"/reports/cases/{case.pk}/").content.decode()
    assert "第二位管理员" in page and 'data-testid="handlers-form"' in page
    listing = handler.get("/reports/", {"tab": "cases", "view": "open"}).content.decode()
    assert f"/reports/cases/{case.pk}/" in listing
    moved = handler.post(
        f"/reports/cases/{case.pk}/deadline/",
        {"deadline": (case.deadline + dt.timedelta(days=10)).isoformat(), "reason": "补充调查"},
    )
    assert moved.status_code == 302
    assert (
        handler.post(f"/reports/cases/{case.pk}/handlers/", {"handlers": [world.principal.pk]}).status_code
        == 422
    )
    for who in (
        world.principal,
        world.deputy,
        world.inspector,
        world.staff,
        world.other_admin,
        world.outsider,
    ):
        client = Client()
        client.force_login(who)
        assert client.get(f"/reports/cases/{case.pk}/").status_code == 404
        for action in ("handlers/", "deadline/", "close/"):
            response = client.post(
                f"/reports/cases/{case.pk}/{action}", {"reason": "x", "outcome": "dismissed"}
            )
            assert response.status_code == 404, (who.username, action)
        assert f"/reports/cases/{case.pk}/" not in client.get("/reports/", {"tab": "cases"}).content.decode()


def test_the_workbench_shows_the_desk_to_the_commission_only(world):
    _report(world)
    admin = Client()
    admin.force_login(world.admin)
    page = admin.get("/").content.decode()
    assert 'data-testid="tile-reports-untriaged"' in page or "待分办的举报" in page
    principal = Client()
    principal.force_login(world.principal)
    assert "待分办的举报" not in principal.get("/").content.decode()
