"""What waits for a person's signature, on the 工作台 as in the inbox (issue 13 QA): every co-signer is told
(the unit inspector too), the step asked of them is the one the matter page offers (rules.actions_for), and
the wait is counted the same way in both places — since the step that made it wait on them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from zhiheng.core import clock
from zhiheng.matters import services
from zhiheng.matters.tests.conftest import DAY
from zhiheng.workbench import sections

pytestmark = pytest.mark.django_db


def _section(person, role: str) -> sections.Section:
    with clock.frozen(clock.at(DAY, 11)):
        return next(sec for sec in sections.build(person)[1] if sec.role == role)


@pytest.fixture
def late(wb):
    """A large matter submitted 30 days ago that the team passed 10 days ago: since then it waits for
    co-signatures; and a large one submitted today that the rules send to the team."""
    with clock.frozen(clock.at(DAY - dt.timedelta(days=30), 9)):
        m = services.submit(
            by=wb.staff,
            unit=wb.unit,
            power=wb.power["procurement"],
            title="采购档案密集柜",
            amount="260000.00",
            budget_line=wb.big,
        )
    with clock.frozen(clock.at(DAY - dt.timedelta(days=10), 9)):
        m = services.refer_to_collective(matter=m, by=wb.deputy2, reason="上会")
        wb.late = services.apply_collective_decision(
            matter=m, outcome="passed", by=wb.principal, meeting_ref="meeting:2/item:1"
        )
    with clock.frozen(clock.at(DAY, 9)):
        wb.needs_team = services.submit(
            by=wb.staff,
            unit=wb.unit,
            power=wb.power["procurement"],
            title="采购办公家具",
            amount="300000.00",
            budget_line=wb.big,
        )
    assert wb.late.state == "awaiting_cosign" and wb.needs_team.requires_collective
    return wb


def test_the_unit_inspector_is_told_what_waits_for_their_co_signature(late):
    sec = _section(late.inspector, "inspector")
    assert {t.key: t.count for t in sec.tiles}["inbox-cosign"] == 2
    assert {r["matter"] for r in sec.panels["inbox"]} == {late.cosign_matter, late.late}
    assert {r["kind"] for r in sec.panels["inbox"]} == {"会签"}


def test_the_inspectors_page_lists_the_co_signatures(client, late):
    client.force_login(late.inspector)
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get("/").content.decode()
    panel = page[page.index('data-testid="inspector-cosign"') :]
    assert "采购档案密集柜" in panel and 'data-testid="tile-inspector-t-unit-inbox-cosign"' in page


def test_the_step_asked_is_the_one_the_matter_page_offers(client, late):
    rows = {r["matter"]: r for r in _section(late.deputy2, "deputy").panels["inbox"]}
    assert rows[late.needs_team]["kind"] == "提交集体会审"  # it needs the team: no approving it alone
    assert rows[late.late]["kind"] == "会签"
    client.force_login(late.deputy2)
    with clock.frozen(clock.at(DAY, 11)):
        page = client.get(f"/matters/{late.needs_team.pk}/").content.decode()
    assert 'data-testid="approve"' not in page
    assert f'action="/matters/{late.needs_team.pk}/refer/"' in page


def test_a_co_signature_has_waited_since_the_decision_on_the_workbench_and_in_the_inbox(client, late):
    row = next(r for r in _section(late.inspector, "inspector").panels["inbox"] if r["matter"] == late.late)
    assert (row["days"], row["since"]) == (10, "自决定起")
    client.force_login(late.inspector)
    with clock.frozen(clock.at(DAY, 11)):
        inbox = client.get("/matters/inbox/").content.decode()
        home = client.get("/").content.decode()
    assert "已等待（自…起）" in inbox
    line = re.search(r"采购档案密集柜.*?</tr>", inbox, flags=re.S).group(0)
    assert "10 天" in line and "自决定起" in line
    line = re.search(rf'data-matter="{late.late.pk}".*?</tr>', home, flags=re.S).group(0)
    assert re.search(r'data-testid="waiting">10 <span class="muted">自决定起', line)


def test_an_inspector_whose_unit_has_no_warnings_still_sees_a_chart_with_data(wb):
    """Issue 13 QA: every persona's 工作台 shows a chart that draws something — an inspector of a unit that
    raised no warning saw only an empty "近12个月预警产生与处理"."""
    from zhiheng.meetings import services as meetings
    from zhiheng.org.tests.factories import MembershipFactory, PersonFactory

    quiet = PersonFactory(username="t-quiet-inspector", name="另一局纪检组长")
    MembershipFactory(person=quiet, unit=wb.other_unit, role="inspector", start=dt.date(2012, 1, 1))
    with clock.frozen(clock.at(DAY, 9)):
        meetings.create_meeting(
            by=wb.other_principal, unit=wb.other_unit, kind="party_committee", date=DAY, items=[]
        )
    sec = _section(quiet, "inspector")
    drawn = [c for c in sec.charts if c.rows]
    assert [c.title for c in drawn] == ["近12个月本单位事项与会议"]
    assert drawn[0].rows[-1][1:] == ["0", "1"]  # this month: no matter, one meeting
    assert not next(c for c in sec.charts if c.title == "近12个月预警产生与处理").rows


def test_the_admin_sees_the_longest_waits_now_and_the_longest_that_ended(late):
    """Issue 13 QA: the district's longest waits, counted as the inbox counts them; and the decided matters
    that had waited longest (the demo's long wait in 南城街道 ended in a decision months ago)."""
    sec = _section(late.admin, "commission_admin")
    waits = {r["matter"]: r for r in sec.panels["waits"]}
    assert [r["days"] for r in sec.panels["waits"]] == sorted(
        (r["days"] for r in sec.panels["waits"]), reverse=True
    )
    assert (waits[late.late]["days"], waits[late.late]["since_label"]) == (10, "自决定起")
    first = sec.panels["slowest"][0]
    assert (first["matter"], first["days"]) == (late.late, 20)
