"""R-SUP-2 through the pages, per persona: the inspection group opens a check from the list, follows its
sample (the read appears in the log), records a finding and judges the answer; the commission sees the
check with its log; the unit's team sees the check and answers, but not the sample nor the read log until
the check is closed; staff and other units see nothing (404). Forms refused on their input keep it."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.inspections import services
from zhiheng.inspections.models import Finding, Inspection, Read
from zhiheng.ledger.models import Entry

LIST = "/inspections/"
ITEMS = "/inspections/rectifications/"


def page(client, person, url):
    client.force_login(person)
    return client.get(url)


def as_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def check(iw):
    return services.open_inspection(by=iw.checker, unit=iw.unit)


def _finding(w, check, **kw) -> Finding:
    return services.record_finding(
        by=w.checker,
        inspection=check,
        title=kw.pop("title", "会议记录缺少表态"),
        severity="medium",
        deadline=w.day + dt.timedelta(days=kw.pop("days", 20)),
        **kw,
    )


# ------------------------------------------------------------------------------- the inspection group


def test_the_group_opens_a_check_from_the_list(iw, client):
    client.force_login(iw.checker)
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert 'data-testid="open-check"' in as_text(listing)
    assert f'value="{iw.unit.code}"' in as_text(listing)  # a unit of the group's district to choose
    assert f'value="{iw.other_unit.code}"' in as_text(listing)
    response = client.post(LIST, {"unit": iw.unit.code, "days": "7"})
    check = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{check.pk}/"
    assert (check.expires_at - check.opened_at) == dt.timedelta(days=7)
    assert check.group == 1 and check.opened_by == iw.checker
    shown = as_text(client.get(LIST))
    assert f'href="/inspections/{check.pk}/"' in shown and "进行中" in shown


def test_opening_with_bad_days_keeps_the_input_and_names_the_rule(iw, client):
    client.force_login(iw.checker)
    before = Entry.objects.count()
    response = client.post(LIST, {"unit": iw.unit.code, "days": "400"})
    assert response.status_code == 422
    text = as_text(response)
    assert 'value="400"' in text and f'<option value="{iw.unit.code}" selected>' in text
    assert "1–90" in text  # the service's field error (R-SUP-2: at most the district's maximum)
    assert not Inspection.objects.exists() and Entry.objects.count() == before


def test_only_inspection_members_open_checks(iw, client):
    """The unit's principal and the commission see the list, without the form; posting is refused (403
    R-SUP-2), and nothing is written."""
    for person in (iw.principal, iw.admin):
        client.force_login(person)
        assert 'data-testid="open-check"' not in as_text(client.get(LIST))
        response = client.post(LIST, {"unit": iw.unit.code})
        assert response.status_code == 403 and 'data-rule="R-SUP-2"' in as_text(response)
    assert not Inspection.objects.exists()


def test_the_check_page_shows_the_sample_with_links_and_its_replay(iw, client, check):
    response = page(client, iw.checker, f"/inspections/{check.pk}/")
    text = as_text(response)
    assert response.status_code == 200
    assert check.sample, "the unit has records to sample"
    for row in check.sample:
        route = "matters" if row["kind"] == "matter" else "meetings"
        assert f'href="/{route}/{row["id"]}/"' in text
    assert check.seed in text and 'data-testid="reproducible"' in text and "可复现" in text
    assert 'data-testid="record-finding"' in text and 'data-testid="close-check"' in text


def test_a_read_by_following_the_sample_appears_in_the_log(iw, client, check):
    client.force_login(iw.checker)
    assert client.get(f"/matters/{iw.small.pk}/").status_code == 200
    read = Read.objects.get(inspection=check)
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert f'data-testid="read-{read.pk}"' in text
    assert iw.small.title in text  # the subject's label, not "matter:12"
    assert f"#{read.ledger_index}" in text


def test_the_group_records_a_finding_with_evidence_from_the_sample(iw, client, check):
    client.force_login(iw.checker)
    evidence = f"{check.sample[0]['kind']}:{check.sample[0]['id']}"
    response = client.post(
        f"/inspections/{check.pk}/findings/",
        {
            "title": "大额采购未经集体决策",
            "description": "8 万元办公设备采购由分管副职一人审批",
            "rule": "R-MAT-3",
            "severity": "high",
            "deadline": (iw.day + dt.timedelta(days=15)).isoformat(),
            "owner": iw.deputy.username,
            "evidence": [evidence],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.owner, finding.severity, finding.rule) == (iw.deputy, "high", "R-MAT-3")
    assert finding.evidence == [{"kind": check.sample[0]["kind"], "id": check.sample[0]["id"]}]
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert "大额采购未经集体决策" in text and "整改中" in text and "严重" in text


def test_a_refused_finding_keeps_what_was_typed(iw, client, check):
    client.force_login(iw.checker)
    before = Entry.objects.count()
    response = client.post(
        f"/inspections/{check.pk}/findings/",
        {
            "title": "会议记录不全",
            "description": "缺少副职表态",
            "severity": "low",
            "deadline": (iw.day - dt.timedelta(days=1)).isoformat(),
            "owner": iw.principal.username,
        },
    )
    assert response.status_code == 422
    text = as_text(response)
    assert 'value="会议记录不全"' in text and "缺少副职表态" in text
    assert "整改期限不得早于今天" in text
    assert not Finding.objects.exists() and Entry.objects.count() == before


def test_the_group_accepts_or_returns_an_answer(iw, client, check):
    first, second = _finding(iw, check), _finding(iw, check, title="未公开议题")
    for f in (first, second):
        services.answer_rectification(by=iw.principal, finding=f, response="已整改")
    client.force_login(iw.checker)
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert 'data-testid="accept"' in text and 'data-testid="return"' in text
    base = f"/inspections/{check.pk}/findings"
    assert client.post(f"{base}/{first.pk}/accept/", {"note": "材料齐全"}).status_code == 302
    refused = client.post(f"{base}/{second.pk}/return/", {"reason": ""})
    assert refused.status_code == 422 and "这个字段是必填项" in as_text(refused)
    assert client.post(f"{base}/{second.pk}/return/", {"reason": "材料不全"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("accepted", "open")
    assert "已销号" in as_text(client.get(f"/inspections/{check.pk}/"))


def test_closing_ends_the_grant(iw, client, check):
    client.force_login(iw.checker)
    response = client.post(f"/inspections/{check.pk}/close/", {"conclusion": "未发现重大问题"})
    assert response.status_code == 302
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert "已结束" in text and "未发现重大问题" in text and 'data-testid="close-check"' not in text
    again = client.post(f"/inspections/{check.pk}/close/", {"conclusion": ""})
    assert again.status_code == 409 and 'data-rule="R-SUP-2"' in as_text(again)
    assert client.get(f"/matters/{iw.small.pk}/").status_code == 404  # the grant ended with the check


def test_another_group_does_not_see_the_check(iw, client, check):
    """A check is its group's (selectors.list_inspections_for): another group of the district gets 404."""
    client.force_login(iw.checker2)
    assert client.get(f"/inspections/{check.pk}/").status_code == 404
    assert client.post(f"/inspections/{check.pk}/close/", {}).status_code == 404
    assert f"/inspections/{check.pk}/" not in as_text(client.get(LIST))


# ---------------------------------------------------------------------------------- the commission


def test_the_commission_reads_the_check_and_its_log_but_does_not_act(iw, client, check):
    matters_read = Read.objects.create(
        inspection=check, person=iw.checker, kind="matter", ref=str(iw.small.pk)
    )
    Read.objects.create(inspection=check, person=iw.checker, kind="evidence", ref="7")
    text = as_text(page(client, iw.admin, f"/inspections/{check.pk}/"))
    assert f'data-testid="read-{matters_read.pk}"' in text and 'data-testid="sample"' in text
    assert iw.small.title in text and "证据材料 #7" in text and "evidence:7" not in text  # labels, not codes
    assert 'data-testid="record-finding"' not in text and 'data-testid="close-check"' not in text
    assert f'href="/inspections/{check.pk}/"' in as_text(client.get(LIST))


def test_the_commission_follows_overdue_items(iw, client, check):
    late = _finding(iw, check, days=3)
    with clock.frozen(clock.at(iw.day + dt.timedelta(days=10))):
        text = as_text(page(client, iw.admin, f"{ITEMS}?status=overdue&district={iw.district.code}"))
        assert f'data-testid="item-{late.pk}"' in text and "已逾期" in text
        detail = as_text(client.get(f"/inspections/{check.pk}/"))
        assert 'data-testid="finding-overdue"' in detail


# --------------------------------------------------------------------------------- the unit's team


def test_the_principal_sees_the_check_but_not_its_sample_nor_log_while_open(iw, client, check):
    Read.objects.create(inspection=check, person=iw.checker, kind="matter", ref=str(iw.small.pk))
    text = as_text(page(client, iw.principal, f"/inspections/{check.pk}/"))
    assert 'data-testid="log-hidden"' in text
    assert 'data-testid="read-log"' not in text and 'data-testid="sample"' not in text
    assert check.seed not in text
    services.close_inspection(by=iw.checker, inspection=check, conclusion="结束")
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert 'data-testid="read-log"' in text and 'data-testid="sample"' in text


def test_the_owner_answers_an_item(iw, client, check):
    item = _finding(iw, check)
    client.force_login(iw.principal)
    listed = as_text(client.get(f"{ITEMS}?to=answer&unit={iw.unit.code}"))
    assert f'data-testid="item-{item.pk}"' in listed
    text = as_text(client.get(f"/inspections/{check.pk}/"))
    assert 'data-testid="answer"' in text and 'data-testid="accept"' not in text
    url = f"/inspections/{check.pk}/findings/{item.pk}/answer/"
    empty = client.post(url, {"response": "   "})
    assert empty.status_code == 422
    assert client.post(url, {"response": "已补齐会议记录"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.response) == ("answered", "已补齐会议记录")
    refused = client.post(f"/inspections/{check.pk}/findings/{item.pk}/accept/", {})
    assert refused.status_code == 403 and 'data-rule="R-SUP-2"' in as_text(refused)


def test_staff_and_other_units_see_nothing(iw, client, check):
    item = _finding(iw, check)
    for person in (iw.staff, iw.other_principal, iw.far_checker, iw.outsider):
        client.force_login(person)
        assert client.get(f"/inspections/{check.pk}/").status_code == 404, person
        assert f"/inspections/{check.pk}/" not in as_text(client.get(LIST)), person
        assert item.title not in as_text(client.get(ITEMS)), person
        answer = client.post(f"/inspections/{check.pk}/findings/{item.pk}/answer/", {"response": "x"})
        assert answer.status_code == 404, person
