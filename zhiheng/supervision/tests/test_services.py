"""Issuing (content, freezing, idempotency), acknowledging, remarks, RF6 and the daily catch-up (R-SUP-1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.ledger.canonical import canonical_bytes
from zhiheng.ledger.models import Entry
from zhiheng.matters.models import Matter
from zhiheng.parameters.tests.factories import put
from zhiheng.risk.models import Warning
from zhiheng.supervision import selectors, services
from zhiheng.supervision.models import Acknowledgement, MonthlyReport, Remark

from .conftest import FEB

pytestmark = pytest.mark.django_db

TEAM = ["t-principal", "t-deputy", "t-deputy2", "t-deputy3", "t-inspector"]


def issued(w):
    report, new = services.issue_report(unit=w.unit, month=FEB)
    assert new
    return report


def entries(code: str):
    return Entry.objects.filter(event_type=code)


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


def refused(fn, rule: str, status: int):
    with pytest.raises(DomainError) as caught:
        fn()
    assert (caught.value.rule, caught.value.status) == (rule, status)


def test_the_report_lists_the_months_expenditures_and_purchases_with_their_flags(sw):
    frozen = issued(sw).frozen
    office, purchase, gift, repair = sw.matters
    assert [i["matter"] for i in frozen["items"]] == [office.pk, purchase.pk, gift.pk, repair.pk]
    assert frozen["unit"] == {
        "code": "t-unit",
        "name": "测试局",
        "district": "testdistrict",
        "district_name": "测试区",
    }
    assert frozen["month"] == "2026-02" and frozen["issued_at"].endswith("+08:00")
    item = frozen["items"][1]
    assert item == {
        "matter": purchase.pk,
        "title": "执法记录仪采购",
        "kind": "purchase",
        "deputy": "t-deputy2",
        "deputy_name": "王副乙",
        "category": "procurement",
        "category_name": "采购",
        "counterparty": "重庆宏远办公设备有限公司",
        "amount": "86000.00",
        "budget_line": "big",
        "budget_line_name": "专项经费",
        "meeting": sw.meeting.pk,
        "meeting_label": "第3次党组会",
        "decided_at": "2026-02-10T16:00:00+08:00",
        "over_threshold": True,
        "no_budget_line": False,
    }
    assert [(i["over_threshold"], i["no_budget_line"]) for i in frozen["items"]] == [
        (False, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    assert frozen["items"][3]["decided_at"] == "2026-02-28T23:30:00+08:00"  # the last evening, Shanghai time
    assert (frozen["total"], frozen["count"], frozen["threshold"]) == ("91000.00", 4, "50000.00")
    assert frozen["totals"]["by_deputy"] == [
        {"key": "t-deputy2", "name": "王副乙", "count": 1, "amount": "86000.00"},
        {"key": "t-deputy", "name": "李副甲", "count": 3, "amount": "5000.00"},
    ]
    assert [r["key"] for r in frozen["totals"]["by_category"]] == ["procurement", "finance"]
    assert frozen["totals"]["by_counterparty"][0]["key"] == "重庆宏远办公设备有限公司"
    comparison = frozen["comparison"]
    assert (comparison["last_year_month"], comparison["last_year_total"], comparison["change_pct"]) == (
        "2025-02",
        "50000.00",
        "82.0",
    )
    office_line = next(b for b in comparison["budget_lines"] if b["code"] == "office")
    assert office_line["month_amount"] == "2000.00" and office_line["amount"] == "100000.00"


def test_issuing_records_the_digest_due_date_and_team_in_the_ledger(sw):
    report = issued(sw)
    assert report.digest == hashlib.sha256(canonical_bytes(report.frozen)).hexdigest()
    assert report.due == dt.date(2026, 3, 12)  # issued 2026-03-02, ack_days 10
    assert report.team == TEAM
    entry = entries("supervision.report_issued").get()
    assert entry.index == report.ledger_index and entry.unit == "t-unit"
    assert payload(entry) == {
        "unit": "t-unit",
        "month": "2026-02",
        "digest": report.digest,
        "due": "2026-03-12",
        "team": TEAM,
    }


def test_issuing_twice_issues_one_report_and_one_entry(sw):
    first = services.issue_month(FEB)
    assert (first.issued, first.already) == (2, 0)  # the unit and the other unit
    second = services.issue_month(FEB)
    assert (second.issued, second.already) == (0, 2)
    assert MonthlyReport.objects.count() == 2
    assert entries("supervision.report_issued").count() == 2
    report, new = services.issue_report(unit=sw.unit, month=dt.date(2026, 2, 17))  # any day of the month
    assert not new and report.month == FEB


def test_a_later_edit_of_a_matter_never_changes_an_issued_report(sw, client):
    report = issued(sw)
    before = (report.frozen, report.digest)
    Matter.objects.filter(pk=sw.matters[0].pk).update(amount="999999.00", title="改过的标题")
    Matter.objects.filter(pk=sw.matters[2].pk).update(state="withdrawn")
    services.issue_report(unit=sw.unit, month=FEB)
    again = selectors.get_report_for(sw.principal, "t-unit", "2026-02")
    assert (again.frozen, again.digest) == before
    assert again.frozen["items"][0]["title"] == "办公用品" and again.frozen["total"] == "91000.00"


def test_the_team_acknowledges_once_each_in_the_ledger(sw):
    report = issued(sw)
    ack, new = services.acknowledge(report=report, by=sw.deputy)
    assert new
    entry = entries("supervision.report_acknowledged").get()
    assert payload(entry) == {"unit": "t-unit", "month": "2026-02", "person": "t-deputy"}
    assert ack.ledger_index == entry.index and entry.actor == "t-deputy"
    again, new = services.acknowledge(report=report, by=sw.deputy)
    assert not new and again.pk == ack.pk
    assert entries("supervision.report_acknowledged").count() == 1


@pytest.mark.parametrize("who", ["staff", "admin", "other_principal", "outsider"])
def test_anyone_else_may_not_acknowledge_and_nothing_changes(sw, who):
    report = issued(sw)
    size = Entry.objects.count()
    refused(lambda: services.acknowledge(report=report, by=getattr(sw, who)), "R-SUP-1", 403)
    assert Acknowledgement.objects.count() == 0 and Entry.objects.count() == size


def test_the_unit_inspector_remarks_and_nobody_else(sw):
    report = issued(sw)
    remark = services.add_remark(report=report, by=sw.inspector, body="  慰问品未列预算科目，请说明。 ")
    assert remark.body == "慰问品未列预算科目，请说明。"
    assert payload(entries("supervision.remark_added").get())["body"] == remark.body
    size = Entry.objects.count()
    for who in ("principal", "deputy", "admin", "staff"):
        refused(
            lambda w=who: services.add_remark(report=report, by=getattr(sw, w), body="意见"), "R-SUP-1", 403
        )
    refused(lambda: services.add_remark(report=report, by=sw.inspector, body="   "), "validation", 422)
    assert Remark.objects.count() == 1 and Entry.objects.count() == size


def test_rf6_is_raised_once_per_late_report_naming_who_did_not_acknowledge(sw):
    report = issued(sw)
    for person in (sw.principal, sw.deputy, sw.deputy2):
        services.acknowledge(report=report, by=person)
    assert services.check_overdue(dt.date(2026, 3, 12)) == 0  # the due date itself is still in time
    with clock.frozen(clock.at(dt.date(2026, 3, 13), 8)):
        services.acknowledge(report=report, by=sw.deputy3)  # late: acknowledged after the due date
    assert services.check_overdue(dt.date(2026, 3, 13)) == 1
    warning = Warning.objects.get(rule="RF6")
    assert warning.owner == sw.inspector and warning.unit == sw.unit
    assert warning.source == "scan:rf6:monthly:t-unit:2026-02"
    assert "赵副丙（t-deputy3）、陈纪检（t-inspector）" in warning.explanation
    assert "张一把" not in warning.explanation
    assert services.check_overdue(dt.date(2026, 3, 14)) == 0
    assert Warning.objects.filter(rule="RF6").count() == 1
    assert entries("risk.warning_raised").count() == 1
    assert selectors.standing(report, dt.date(2026, 3, 14)).overdue


def test_no_rf6_when_the_whole_team_acknowledged_in_time(sw):
    report = issued(sw)
    for person in (sw.principal, sw.deputy, sw.deputy2, sw.deputy3, sw.inspector):
        services.acknowledge(report=report, by=person)
    assert services.check_overdue(dt.date(2026, 4, 1)) == 0
    assert not Warning.objects.filter(rule="RF6").exists()


def test_the_daily_job_issues_the_previous_month_from_each_units_issue_day(sw):
    put("supervision", unit=sw.other_unit, values={"issue_day": 1, "ack_days": 3})
    result = services.catch_up(dt.date(2026, 3, 2))
    assert result.issued == 1
    report = MonthlyReport.objects.get()
    assert report.unit == sw.other_unit and report.due == dt.date(2026, 3, 5)
    with clock.frozen(clock.at(dt.date(2026, 3, 5), 0, 20)):
        assert services.catch_up().issued == 1  # the 5th: the unit's own report
        assert services.catch_up().issued == 0
    assert MonthlyReport.objects.filter(month=FEB).count() == 2


def test_the_parameters_are_the_commissions_to_set(sw):
    parameters.set_values("supervision", by=sw.admin, unit=sw.unit, values={"ack_days": 15})
    assert parameters.effective("supervision", sw.unit).values == {"issue_day": 5, "ack_days": 15}
    assert entries("supervision.rules_set").count() == 1
    refused(
        lambda: parameters.set_values("supervision", by=sw.principal, unit=sw.unit, values={"ack_days": 60}),
        "R-SUP-1",
        403,
    )
    refused(
        lambda: parameters.set_values("supervision", by=sw.admin, unit=sw.unit, values={"issue_day": 31}),
        "validation",
        422,
    )
    assert issued(sw).due == dt.date(2026, 3, 17)
