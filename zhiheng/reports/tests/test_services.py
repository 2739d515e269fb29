"""R-SUP-3 through the services: intake, the reporter's way back, the handlers' steps, each in the ledger
without identity or content; nobody concerned sees a report (the persona matrix of rules)."""

from __future__ import annotations

import json

import pytest

from zhiheng.core.errors import DomainError, NotFound
from zhiheng.core.tests.dumps import database_dump
from zhiheng.ledger.models import Entry
from zhiheng.reports import rules, sealing, selectors, services
from zhiheng.reports.models import Case, Report

from .samples import SECRET_BODY, SECRET_CONTACT, SECRET_NAME, SECRET_SUBJECT


def _payload(entry: Entry) -> dict:
    return json.loads(bytes(entry.data))["payload"]


def _entries() -> list[Entry]:
    return list(Entry.objects.order_by("index"))


def test_a_report_is_received_sealed_and_the_ledger_names_nobody(filed):
    report = filed.named.report
    assert report.district == filed.district and report.anonymous is False
    assert sealing.unseal(report.sealed_identity) == {"name": SECRET_NAME, "contact": SECRET_CONTACT}
    assert sealing.unseal(report.sealed_content) == {"subject": SECRET_SUBJECT, "body": SECRET_BODY}
    entry = Entry.objects.get(subject=report.subject)
    assert (
        entry.event_type == "reports.received" and entry.unit == "" and entry.district == filed.district.code
    )
    assert _payload(entry) == {
        "report": report.pk,
        "report_channel": "web",
        "report_status": "received",
        "district": filed.district.code,
    }


def test_a_database_dump_holds_no_identity_body_receipt_or_passphrase(filed):
    report = filed.named.report
    services.write_as_reporter(report=report, body="补充：转账记录在会计处")
    services.write_as_handler(by=filed.admin, report=report, body="请提供转账日期")
    case = services.open_case(by=filed.admin, reports=[report], handlers=[filed.admin])
    services.reveal_identity(by=filed.admin, report=report, reason="需要当面核实")
    services.close_case(
        by=filed.admin, case=case, outcome="lead_transferred", reason="移送区监委核查八十万元"
    )
    dump = database_dump()
    assert "reports_report" in dump or Report.objects.exists()
    for secret in (
        SECRET_NAME,
        SECRET_CONTACT,
        SECRET_BODY,
        SECRET_SUBJECT,
        "转账记录在会计处",
        "请提供转账日期",
        "移送区监委核查八十万元",
        filed.named.receipt,
        filed.named.receipt.replace("-", ""),
        filed.named.passphrase,
    ):
        assert secret not in dump, secret
    ledger_text = json.dumps([_payload(e) for e in _entries()], ensure_ascii=False)
    for secret in (SECRET_NAME, SECRET_CONTACT, SECRET_BODY, SECRET_SUBJECT, filed.unit.code):
        assert secret not in ledger_text


def test_the_receipt_and_passphrase_open_their_own_report_only(filed):
    opened = services.open_report(receipt=filed.named.receipt, passphrase=filed.named.passphrase, address="a")
    assert opened == filed.named.report
    for receipt, passphrase in (
        (filed.named.receipt, filed.anon.passphrase),
        (filed.anon.receipt, filed.named.passphrase),
        ("0000-0000-0000-0000-0000", filed.named.passphrase),
    ):
        with pytest.raises(NotFound):
            services.open_report(receipt=receipt, passphrase=passphrase, address="b")
    other = services.open_report(receipt=filed.anon.receipt, passphrase=filed.anon.passphrase, address="a")
    assert other == filed.anon.report


def test_receipt_guessing_is_rate_limited_per_address(filed, settings):
    settings.REPORTS_GUESSES_PER_WINDOW = 3
    for _ in range(3):
        with pytest.raises(NotFound):
            services.open_report(receipt="0000-0000-0000-0000-0000", passphrase="x" * 12, address="10.0.0.9")
    with pytest.raises(DomainError) as refused:
        services.open_report(
            receipt=filed.named.receipt, passphrase=filed.named.passphrase, address="10.0.0.9"
        )
    assert refused.value.status == 429
    # another address is not slowed, and a success does not count
    for _ in range(5):
        services.open_report(
            receipt=filed.named.receipt, passphrase=filed.named.passphrase, address="10.0.0.10"
        )


def test_the_conversation_goes_both_ways(filed):
    report = filed.anon.report
    services.write_as_handler(by=filed.admin, report=report, body="请问是哪一年的事？")
    services.write_as_reporter(report=report, body="2025 年")
    talk = services.conversation(report)
    assert talk["status"] == "received"
    assert [(m["from"], m["body"]) for m in talk["messages"]] == [
        ("handler", "请问是哪一年的事？"),
        ("reporter", "2025 年"),
    ]


CONCERNED = ("principal", "deputy", "inspector", "staff", "other_admin", "outsider")


@pytest.mark.parametrize("who", CONCERNED)
def test_nobody_concerned_sees_a_report_or_its_count(filed, who):
    person = getattr(filed, who)
    report = filed.named.report
    assert not rules.can_handle(person, report)
    assert selectors.list_reports_for(person).count() == 0
    with pytest.raises(NotFound):
        selectors.get_report_for(person, report.pk)
    before = Entry.objects.count()
    with pytest.raises(DomainError):
        services.read_report(by=person, report=report)
    assert Entry.objects.count() == before


def test_a_commission_admin_concerned_by_a_report_does_not_see_it(filed):
    """An admin who is also named in a report (or holds a term in the unit) is as blind as anyone concerned."""
    report = services.receive(
        by=None, channel="web", subject="反映纪委管理员", body="内容", person=filed.admin.username
    ).report
    assert report.district == filed.district
    assert report not in selectors.list_reports_for(filed.admin)
    with pytest.raises(NotFound):
        selectors.get_report_for(filed.admin, report.pk)
    assert filed.named.report in selectors.list_reports_for(filed.admin)


def test_the_district_admin_reads_and_each_reading_is_in_the_ledger(filed):
    report = filed.named.report
    before = Entry.objects.filter(event_type="reports.read").count()
    opened = services.read_report(by=filed.admin, report=report)
    services.read_report(by=filed.admin, report=report)
    assert opened["body"] == SECRET_BODY
    assert Entry.objects.filter(event_type="reports.read").count() == before + 2


def test_only_named_handlers_reveal_identity_and_each_reveal_is_in_the_ledger(filed, world):
    from zhiheng.org.tests.factories import DistrictRoleFactory, PersonFactory

    report = filed.named.report
    second = PersonFactory(username="t-admin2", name="第二位管理员")
    DistrictRoleFactory(
        person=second,
        district=filed.district,
        role="commission_admin",
        start=filed.unit.created_at.date().replace(year=2012),
    )
    with pytest.raises(DomainError) as before_case:
        services.reveal_identity(by=filed.admin, report=report, reason="核实")
    assert before_case.value.status == 403
    case = services.open_case(by=filed.admin, reports=[report], handlers=[filed.admin])
    report.refresh_from_db()
    with pytest.raises(DomainError) as not_named:
        services.reveal_identity(by=second, report=report, reason="核实情况")
    assert not_named.value.status == 403
    with pytest.raises(DomainError):
        services.reveal_identity(by=filed.admin, report=report, reason="")
    revealed = [
        services.reveal_identity(by=filed.admin, report=report, reason="需要当面核实") for _ in range(2)
    ]
    assert revealed[0] == {"name": SECRET_NAME, "contact": SECRET_CONTACT}
    entries = Entry.objects.filter(event_type="reports.identity_revealed", subject=report.subject)
    assert entries.count() == 2
    for entry in entries:
        assert _payload(entry)["reason"] == "需要当面核实"
        assert SECRET_NAME not in json.dumps(_payload(entry), ensure_ascii=False)
    assert case.handlers.get() == filed.admin


def test_a_case_joins_reports_and_closes_once_with_an_outcome(filed):
    report = filed.named.report
    second = services.receive(
        by=None, channel="web", subject="同一件事", body="又一封", unit=filed.unit.code
    ).report
    case = services.open_case(by=filed.admin, reports=[report, second], handlers=[])
    assert set(case.reports.all()) == {report, second} and list(case.handlers.all()) == [filed.admin]
    with pytest.raises(DomainError) as again:
        services.open_case(by=filed.admin, reports=[report], handlers=[])
    assert again.value.status == 409
    services.close_case(by=filed.admin, case=case, outcome="dismissed", reason="查无实据")
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome == "dismissed" and services.reason_of(case) == "查无实据"
    assert set(Report.objects.filter(case=case).values_list("status", flat=True)) == {"closed"}
    with pytest.raises(DomainError) as closed:
        services.close_case(by=filed.admin, case=case, outcome="verified", reason="再议")
    assert closed.value.status == 409
    assert (
        _payload(Entry.objects.filter(event_type="reports.case_closed").get())["case_outcome"] == "dismissed"
    )
    assert not Case.objects.filter(pk=case.pk).exclude(outcome="dismissed").exists()


def test_a_concerned_person_cannot_be_named_handler(filed):
    with pytest.raises(DomainError):
        services.open_case(by=filed.admin, reports=[filed.named.report], handlers=[filed.principal])


def test_staff_of_another_district_cannot_record_a_phone_report(filed):
    with pytest.raises(DomainError) as refused:
        services.receive(
            by=filed.other_admin, channel="phone", subject="电话", body="内容", unit=filed.unit.code
        )
    assert refused.value.status == 403
    given = services.receive(
        by=filed.admin, channel="phone", subject="电话", body="内容", unit=filed.unit.code
    )
    assert given.report.recorded_by == filed.admin and given.report.channel == "phone"


def test_bad_input_is_refused_with_every_field(world):
    with pytest.raises(DomainError) as refused:
        services.receive(by=None, channel="web", subject="", body="", anonymous=False, passphrase="short")
    assert refused.value.status == 422
    assert set(refused.value.detail["fields"]) >= {"subject", "body", "name", "passphrase", "unit"}


@pytest.mark.parametrize(
    ("outcome", "archived"),
    [("verified", True), ("rectification", True), ("dismissed", False), ("lead_transferred", False)],
)
def test_only_outcomes_the_person_is_told_of_reach_their_archive(filed, outcome, archived):
    from zhiheng.checkup.models import ArchiveEntry

    case = services.open_case(by=filed.admin, reports=[filed.named.report], handlers=[])
    services.close_case(by=filed.admin, case=case, outcome=outcome, reason="理由")
    entries = ArchiveEntry.objects.filter(person=filed.principal, source=f"report-case:{case.pk}")
    assert entries.exists() is archived
    if archived:
        from zhiheng.checkup import sealing as checkup_sealing

        content = checkup_sealing.unseal(entries.get().sealed_content)
        assert SECRET_BODY not in json.dumps(content, ensure_ascii=False) and "理由" not in content["body"]


def test_the_person_reported_never_sees_the_archive_entry_the_commission_does(filed):
    """R-SUP-3: nobody concerned learns of a report through the integrity archive — the person reading their
    own archive sees neither the entry nor its count; the commission, which issues opinions from it, does."""
    from zhiheng.checkup import selectors as checkup_selectors
    from zhiheng.checkup import services as checkup

    case = services.open_case(by=filed.admin, reports=[filed.named.report], handlers=[])
    services.close_case(by=filed.admin, case=case, outcome="verified", reason="查证属实")
    source = f"report-case:{case.pk}"

    def origins(reader) -> set[str]:
        return {row.origin for row in checkup.read_archive(by=reader, person=filed.principal).of(None)}

    assert source not in origins(filed.principal) and source in origins(filed.admin)
    assert checkup_selectors.archive_outline(filed.principal, filed.principal)["entries"] == 0
    assert checkup_selectors.archive_outline(filed.principal, filed.admin)["entries"] == 1
    assert [e.source for e in checkup_selectors.archive_entries_of(filed.principal, filed.admin)] == [source]
