"""The reporting channel's demo (issue 17): reports in each district through the four channels, the trial
receipt documented in docs/demo.md opening its reporter's conversation, a lead transferred and a dismissal
with reasons, an open case due soon and one overdue — and nothing a reporter wrote or who they are in a
dump of the database or in the ledger."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhiheng.accounts.models import Person
from zhiheng.core.tests.dumps import database_dump
from zhiheng.demo.context import HISTORY_END
from zhiheng.demo.steps.reports import REPORTS, TRIAL_PASSPHRASE, TRIAL_RECEIPT
from zhiheng.demo.tests.snapshot import restore_demo
from zhiheng.ledger.models import Entry
from zhiheng.org.models import District
from zhiheng.reports import rules, sealing, services
from zhiheng.reports.models import Case, Report, ReportMessage
from zhiheng.reports.states import Channel, Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return restore_demo()


def test_each_district_has_reports_through_the_four_channels(demo):
    for district in District.objects.all():
        reports = Report.objects.filter(district=district)
        assert 4 <= reports.count() <= 6, district.code
        assert set(reports.values_list("channel", flat=True)) == set(Channel.values), district.code
        # each about a unit of its own district; the web ones came through the form (nobody recorded them)
        assert all(r.unit is not None and r.unit.district_id == district.pk for r in reports)
        for report in reports:
            assert (report.recorded_by is None) == (report.channel == Channel.WEB)
    named = Report.objects.filter(anonymous=False)
    assert named.exists() and Report.objects.filter(anonymous=True).count() > named.count()
    assert all(sealing.unseal(r.sealed_identity)["name"] for r in named)
    assert Report.objects.filter(person__username="jb-fsz-deputy2").exists()


def test_the_cases_have_their_outcomes_reasons_and_deadlines(demo):
    closed = Counter(Case.objects.filter(status="closed").values_list("outcome", flat=True))
    assert closed[Outcome.LEAD_TRANSFERRED] == 1 and closed[Outcome.DISMISSED] == 1
    for case in Case.objects.filter(status="closed"):
        assert len(services.reason_of(case)) > 20
        assert set(case.reports.values_list("status", flat=True)) == {"closed"}
    dismissed = Case.objects.get(outcome=Outcome.DISMISSED)
    assert dismissed.unit.code == "nc-ncjd" and "予以了结" in services.reason_of(dismissed)
    assert Case.objects.get(outcome=Outcome.LEAD_TRANSFERRED).unit.code == "jb-fsz"
    open_cases = Case.objects.filter(status="open")
    assert any(c.deadline and c.deadline < HISTORY_END for c in open_cases)  # overdue
    assert any(c.deadline and c.deadline > HISTORY_END for c in open_cases)  # coming up
    for case in Case.objects.all():
        assert list(case.handlers.all()) == [Person.objects.get(username=f"{case.district.code}-admin")]


def test_the_trial_receipt_opens_its_reporters_conversation(demo):
    report = services.open_report(receipt=TRIAL_RECEIPT, passphrase=TRIAL_PASSPHRASE, address="demo")
    assert report.anonymous and report.channel == Channel.WEB and report.unit.code == "jb-szyl"
    talk = services.conversation(report)
    assert talk["status"] == "in_case"
    assert [m["from"] for m in talk["messages"]] == ["handler", "reporter"]
    assert "公司" in talk["messages"][0]["body"] and "绿韵园林" in talk["messages"][1]["body"]
    # on the public page, typed as a tester would (O for 0, lower case), with no cookie set
    public = Client()
    page = public.post(
        "/report/follow-up/",
        {"receipt": TRIAL_RECEIPT.replace("0", "O").lower(), "passphrase": TRIAL_PASSPHRASE},
    )
    assert page.status_code == 200 and "绿韵园林" in page.content.decode() and not public.cookies
    # the demo's documentation gives the pair
    documented = (Path(settings.BASE_DIR) / "docs" / "demo.md").read_text()
    assert f"试用举报查询：查询码 `{TRIAL_RECEIPT}` 密码 `{TRIAL_PASSPHRASE}`" in documented


def test_nobody_concerned_sees_the_demo_reports(demo):
    for report in Report.objects.select_related("unit"):
        principal = Person.objects.get(username=f"{report.unit.code}-principal")
        assert not rules.visible_reports(principal).filter(pk=report.pk).exists()
        assert rules.visible_reports(Person.objects.get(username=f"{report.district.code}-admin")).filter(
            pk=report.pk
        )
    assert not rules.visible_reports(Person.objects.get(username="jb-fsz-deputy2")).exists()


def test_no_dump_nor_the_ledger_holds_what_reporters_wrote_or_who_they_are(demo):
    secrets = [text for f in REPORTS for text in (f.subject, f.body, f.name, f.contact) if text]
    secrets += [str(sealing.unseal(m.sealed_body)) for m in ReportMessage.objects.all()]
    secrets += [services.reason_of(c) for c in Case.objects.filter(status="closed")]
    secrets += [TRIAL_RECEIPT, TRIAL_RECEIPT.replace("-", ""), TRIAL_PASSPHRASE]
    assert len(secrets) > 30 and all(len(s) >= 3 for s in secrets)
    dump = database_dump()
    assert "reports_report" in dump
    for secret in secrets:
        assert secret not in dump, secret
    entries = Entry.objects.filter(event_type__startswith="reports.")
    assert entries.count() >= len(REPORTS) + 3
    ledger_text = json.dumps([json.loads(bytes(e.data)) for e in entries], ensure_ascii=False)
    for secret in [*secrets, "jb-fsz-deputy2", *(f.unit for f in REPORTS)]:
        assert secret not in ledger_text, secret
    assert {e.unit for e in entries} == {""}
