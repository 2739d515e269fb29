"""Issue 16 item 5: the check-up reaches the core at the moment of decision.

- RF3: a deputy whose spouse's or child's declared business is the matter's counterparty (by normalised
  name or by unified social credit code) is refused the approval, through the API, and may send the matter
  to the team instead; the refusal writes nothing.
- R-MTG-9: a member who declared a relative who is a candidate, or a family business that is the matter's
  counterparty, is recused automatically; quorum is computed without them.
- R-MTG-5: a candidate with an account is decided on only with a passed exam, a declaration and 无异议.
"""

from __future__ import annotations

import pytest

from zhiheng.checkup.tests.gates import declare, put_in_order
from zhiheng.core import clock
from zhiheng.core.errors import Conflict
from zhiheng.ledger.models import Entry
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import DAY as MATTERS_DAY
from zhiheng.matters.tests.conftest import build_matters_world, snapshot
from zhiheng.matters.tests.test_api import post_matter
from zhiheng.meetings import services as meetings

from .conftest import DAY, attend_all, convene, say

pytestmark = pytest.mark.django_db

CODE = "91500000MA5U3XKX4U"  # a valid GB 32100 code (checked below)
SPOUSE_FIRM = {"owner": "配偶", "name": "重庆市某文具有限公司", "credit_code": CODE, "role": "法定代表人"}


@pytest.fixture
def mw(world):
    with clock.frozen(clock.at(MATTERS_DAY)):
        yield build_matters_world(world)


def test_the_code_used_here_is_valid():
    from zhiheng.checkup.checks import credit_code_valid

    assert credit_code_valid(CODE)


@pytest.mark.parametrize(
    "counterparty", ["某文具店", "重庆市某文具 （有限公司）", CODE], ids=["other", "name", "credit-code"]
)
def test_rf3_refuses_the_approval_of_a_matter_whose_counterparty_the_deputy_declared(
    mw, api_client, counterparty
):
    declare(mw.deputy, businesses=[{**SPOUSE_FIRM, "name": "重庆市某文具有限公司"}])
    r = post_matter(api_client, mw, counterparty=counterparty)
    assert r.status_code == 201, r.content
    matter = Matter.objects.get(pk=r.json()["id"])
    tied = counterparty != "某文具店"
    detail = api_client.as_(mw.deputy).get(f"/api/v1/matters/{matter.pk}").json()
    assert detail["actions"]["approve"] is not tied
    before, entries = snapshot(matter), Entry.objects.count()
    answer = api_client.as_(mw.deputy).post(f"/api/v1/matters/{matter.pk}/approve", {})
    if not tied:
        assert answer.status_code == 200, answer.content
        return
    assert answer.status_code == 403, answer.content
    body = answer.json()["error"]
    assert body["rule"] == "RF3" and "配偶" in body["message"] and "重庆市某文具有限公司" in body["message"]
    assert (snapshot(matter), Entry.objects.count()) == (before, entries)
    # The way on is the team, where the deputy is recused (R-MTG-9).
    assert detail["actions"]["refer"] is True
    assert (
        api_client.as_(mw.deputy)
        .post(f"/api/v1/matters/{matter.pk}/refer", {"reason": "本人回避"})
        .status_code
        == 200
    )


def test_the_persons_own_business_and_other_peoples_declarations_do_not_refuse(mw, api_client):
    declare(mw.deputy, businesses=[{**SPOUSE_FIRM, "owner": "本人"}])
    declare(mw.deputy2, businesses=[SPOUSE_FIRM])  # not the deputy in charge of finance
    r = post_matter(api_client, mw, counterparty="重庆市某文具有限公司")
    assert api_client.as_(mw.deputy).post(f"/api/v1/matters/{r.json()['id']}/approve", {}).status_code == 200


def test_a_member_who_declared_a_relative_among_the_candidates_is_recused(world):
    with clock.frozen(clock.at(DAY, 10)):
        world.day = DAY
        world.voters = [world.principal, world.deputy, world.deputy2, world.deputy3]
        declare(
            world.deputy3, family_employment=[{"relation": "儿子", "name": "王 小明", "employer": "某中学"}]
        )
        meeting = convene(
            world, items=[{"title": "所长人选", "candidates": ["王小明", "李华"], "presenter": world.deputy}]
        )
        item = meeting.items.get()
        meetings.recommend(by=world.deputy, item=item, candidate="王小明", reason="踏实肯干")
        meetings.recommend(by=world.deputy2, item=item, candidate="李华", reason="业务熟")
        attend_all(world, meeting)
        with pytest.raises(Conflict) as refused:
            say(world.deputy3, item, candidate="王小明")
        assert refused.value.rule == "R-MTG-9" and refused.value.detail["reason"] == "family-tie"
        for person in (world.deputy, world.deputy2, world.principal):
            say(person, item, candidate="李华")
        [result] = meetings.close_meeting(by=world.principal, meeting=meeting)
        assert result["decision"] == "passed" and result["winner"] == "李华"
        sealed = Entry.objects.filter(event_type="meeting.item_decided").last()
        assert f'"recused":{{"{world.deputy3.username}":"family-tie"}}' in sealed.text
        assert "王 小明" not in sealed.text and "某中学" not in sealed.text  # the declaration stays sealed


@pytest.mark.parametrize("in_order", [False, True], ids=["gates-missing", "gates-in-order"])
def test_a_candidate_with_an_account_is_decided_on_only_with_the_three_gates_in_order(world, in_order):
    with clock.frozen(clock.at(DAY, 10)):
        world.day = DAY
        world.voters = [world.principal, world.deputy, world.deputy2, world.deputy3]
        if in_order:
            put_in_order(world.staff)
        meeting = convene(
            world,
            items=[{"title": "科长人选", "candidates": [world.staff.username], "presenter": world.deputy}],
        )
        item = meeting.items.get()
        meetings.recommend(by=world.deputy, item=item, candidate=world.staff.username, reason="实绩突出")
        attend_all(world, meeting)
        for person in (world.deputy, world.deputy2, world.deputy3, world.principal):
            say(person, item)
        [result] = meetings.close_meeting(by=world.principal, meeting=meeting)
    if in_order:
        assert result["decision"] == "passed"
        return
    assert (result["decision"], result["reason"]) == ("deferred", "R-MTG-5")
    name = world.staff.name
    assert result["blocked"] == [
        f"{name}：尚无有效的廉政考试合格成绩（R-GATE-1）",
        f"{name}：尚无本年度或上年度的廉情申报（R-GATE-2）",
        f"{name}：纪委尚未出具“无异议”的廉政意见（R-GATE-4）",
    ]


def test_rf3_on_the_matter_page_no_approve_button_and_the_form_is_refused(mw, client):
    declare(mw.deputy, businesses=[SPOUSE_FIRM])
    matter = Matter.objects.get(pk=post_matter_as_staff(mw, counterparty=CODE))
    client.force_login(mw.deputy)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-testid="approve"' not in page and 'data-testid="refer"' in page
    assert 'data-testid="declared-ties"' in page and "申报的配偶经营的“重庆市某文具有限公司”" in page
    client.force_login(mw.deputy2)  # nobody else is told what the deputy declared
    assert "declared-ties" not in client.get(f"/matters/{matter.pk}/").content.decode()
    client.force_login(mw.deputy)
    refused = client.post(f"/matters/{matter.pk}/approve/", {"comment": "同意"})
    assert refused.status_code == 403 and "RF3" in refused.content.decode()
    assert Matter.objects.get(pk=matter.pk).state == "submitted"


def post_matter_as_staff(w, **extra) -> int:
    from zhiheng.matters import services as matters

    return matters.submit(
        by=w.staff,
        unit=w.unit,
        power=w.power["finance"],
        title="购买打印纸",
        amount="1200.00",
        budget_line=w.office,
        **extra,
    ).pk


def test_a_matter_the_team_decides_anyway_answers_r_mat_3_before_rf3(mw, api_client):
    """RF3 is asked last: the deputy may not decide this one alone whatever they declared."""
    declare(mw.deputy, businesses=[SPOUSE_FIRM])
    r = post_matter(api_client, mw, counterparty=CODE, amount="60000.00", budget_line="big")
    answer = api_client.as_(mw.deputy).post(f"/api/v1/matters/{r.json()['id']}/approve", {})
    assert answer.status_code == 409 and answer.json()["error"]["rule"] == "R-MAT-3"
