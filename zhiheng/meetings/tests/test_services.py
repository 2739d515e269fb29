"""Service tests of every R-MTG rule. A refused write changes nothing and records nothing."""

from __future__ import annotations

import pytest

from zhiheng.checkup.tests.gates import put_in_order
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Checkpoint, Entry
from zhiheng.ledger.services import verify_all
from zhiheng.meetings import selectors, services
from zhiheng.meetings.models import AttendanceRole, Correction, Statement
from zhiheng.parameters.tests.factories import put

from .conftest import attend_all, convene, ledger_size, say

pytestmark = pytest.mark.django_db


def refused(exc_type, rule, fn, *args, **kw):
    """Assert fn raises exc_type with `rule`, and that the ledger and statements did not change."""
    before = (ledger_size(), Statement.objects.count())
    with pytest.raises(exc_type) as info:
        fn(*args, **kw)
    assert info.value.rule == rule, info.value
    assert (ledger_size(), Statement.objects.count()) == before
    return info.value


# -- R-MTG-1 convening, agenda, attendance ---------------------------------------------------------


def test_principal_convenes_and_chairs_by_default(mw):
    before = ledger_size()
    meeting = convene(mw)
    assert meeting.chair == mw.principal and meeting.state == "open"
    item = meeting.items.get()
    assert item.presenter == mw.deputy and item.number == 1
    codes = list(Entry.objects.filter(index__gte=before).values_list("event_type", flat=True))
    assert codes == ["meeting.created", "meeting.item_added"]


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("principal", True),
        ("deputy", True),
        ("deputy2", True),
        ("inspector", True),
        ("admin", False),
        ("other_admin", False),
        ("staff", False),
        ("outsider", False),
        ("other_principal", False),
    ],
)
def test_persona_matrix_convene(mw, who, allowed):
    person = getattr(mw, who)
    if allowed:
        assert convene(mw, by=person).created_by == person
    else:
        refused(Forbidden, "R-MTG-1", convene, mw, by=person)


def test_working_group_needs_a_category(mw):
    refused(Invalid, "R-MTG-8", convene, mw, kind="working_group")
    refused(Invalid, "validation", convene, mw, kind="standing_committee")


def test_presenter_must_be_a_deputy(mw):
    refused(Invalid, "R-MTG-3", convene, mw, items=[{"title": "x", "presenter": mw.principal}])
    refused(Invalid, "R-MTG-3", convene, mw, items=[{"title": "x", "presenter": mw.staff}])


def test_attendance_members_inspector_and_observers(mw):
    meeting = convene(mw)
    rows = attend_all(
        mw, meeting, present=[mw.principal, mw.deputy, mw.inspector], observers=[mw.admin, mw.outsider]
    )
    roles = {a.person.username: (a.role, a.invited_by.username) for a in rows}
    assert roles[mw.deputy.username] == (AttendanceRole.MEMBER, mw.principal.username)
    assert roles[mw.inspector.username][0] == AttendanceRole.INSPECTOR
    assert roles[mw.outsider.username] == (AttendanceRole.OBSERVER, mw.principal.username)
    # additive and idempotent: a second post records arrivals only
    size = ledger_size()
    attend_all(mw, meeting, present=[mw.deputy])
    assert ledger_size() == size
    attend_all(mw, meeting, present=[mw.deputy2])
    assert meeting.attendance.count() == 6


def test_attendance_refuses_non_members_as_present(mw):
    meeting = convene(mw)
    refused(Invalid, "R-MTG-1", attend_all, mw, meeting, present=[mw.staff])
    refused(Invalid, "R-MTG-1", attend_all, mw, meeting, present=[], observers=[mw.deputy])
    refused(
        Forbidden, "R-MTG-1", services.record_attendance, by=mw.staff, meeting=meeting, present=[mw.deputy]
    )


def test_observers_do_not_state(mw):
    meeting = convene(mw)
    attend_all(mw, meeting, observers=[mw.admin, mw.inspector])
    item = meeting.items.get()
    refused(Forbidden, "R-MTG-1", say, mw.admin, item)
    refused(Forbidden, "R-MTG-1", say, mw.inspector, item)
    refused(Forbidden, "R-MTG-1", say, mw.outsider, item)


def test_absent_member_does_not_state(mw):
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy2])
    refused(Forbidden, "R-MTG-1", say, mw.deputy3, meeting.items.get())


# -- R-MTG-3 speaking order ----------------------------------------------------------------------


def test_deputy_in_charge_first_principal_last(mw):
    meeting = convene(mw)
    attend_all(mw, meeting)
    item = meeting.items.get()
    err = refused(Conflict, "R-MTG-3", say, mw.deputy2, item)
    assert err.detail["waiting_for"] == [mw.deputy.username]
    refused(Conflict, "R-MTG-3", say, mw.principal, item)
    say(mw.deputy, item)
    err = refused(Conflict, "R-MTG-3", say, mw.principal, item)
    assert err.detail["waiting_for"] == sorted([mw.deputy2.username, mw.deputy3.username])
    say(mw.deputy3, item, "disagree", "预算不足")
    refused(Conflict, "R-MTG-3", say, mw.principal, item)
    say(mw.deputy2, item)
    statement = say(mw.principal, item)
    assert statement.seq == 4
    assert [s.person for s in item.statements.order_by("seq")] == [
        mw.deputy,
        mw.deputy3,
        mw.deputy2,
        mw.principal,
    ]


def test_absent_presenter_and_absent_members_do_not_block(mw):
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy2, mw.deputy3])
    item = meeting.items.get()
    say(mw.deputy3, item)
    refused(Conflict, "R-MTG-3", say, mw.principal, item)
    say(mw.deputy2, item)
    say(mw.principal, item)


def test_a_statement_is_final(mw):
    meeting = convene(mw)
    attend_all(mw, meeting)
    item = meeting.items.get()
    say(mw.deputy, item)
    refused(Conflict, "R-MTG-4", say, mw.deputy, item, "disagree")


def test_blind_statements_hide_positions_until_the_seal(mw):
    put("meetings", unit=mw.unit, values={"blind_statements": True})
    meeting = convene(mw)
    assert meeting.blind
    attend_all(mw, meeting)
    item = meeting.items.get()
    say(mw.deputy, item, "agree", "我的理由")
    entry = Entry.objects.filter(event_type="meeting.statement").last()
    assert "我的理由" not in entry.text and '"digest"' in entry.text  # a commitment, not the content
    rows = selectors.statements_visible_to(item, mw.deputy2, list(item.statements.all()))
    assert rows[0]["member"] == mw.deputy.username and rows[0]["position"] is None and rows[0]["hidden"]
    own = selectors.statements_visible_to(item, mw.deputy, list(item.statements.all()))
    assert own[0]["position"] == "agree" and own[0]["reason"] == "我的理由"
    for p in (mw.deputy2, mw.deputy3, mw.principal):
        say(p, item)
    services.close_meeting(by=mw.principal, meeting=meeting)
    item.meeting.refresh_from_db()
    rows = selectors.statements_visible_to(item, mw.deputy2, list(item.statements.all()))
    assert rows[0]["position"] == "agree"
    sealed = Entry.objects.filter(event_type="meeting.item_decided").last()
    assert "我的理由" in sealed.text


# -- R-MTG-4 explicit positions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "position,reason,field",
    [
        (None, "理由", "position"),
        ("", "理由", "position"),
        ("都可以", "理由", "position"),
        ("agree", "", "reason"),
        ("agree", "   ", "reason"),
        ("agree", None, "reason"),
    ],
)
def test_statement_must_be_explicit(mw, position, reason, field):
    meeting = convene(mw)
    attend_all(mw, meeting)
    err = refused(Invalid, "R-MTG-4", say, mw.deputy, meeting.items.get(), position, reason)
    assert field in err.detail["fields"]


def personnel_meeting(w, candidates=("王建国", "李秀英")):
    meeting = convene(
        w, items=[{"title": "社保所所长人选", "candidates": list(candidates), "presenter": w.deputy}]
    )
    item = meeting.items.get()
    for name in candidates:
        services.recommend(by=w.deputy, item=item, candidate=name, reason=f"{name}业务熟练")
    attend_all(w, meeting)
    return meeting, item


def test_personnel_item_needs_one_named_candidate(mw):
    _meeting, item = personnel_meeting(mw)
    assert item.kind == "personnel"
    err = refused(Invalid, "R-MTG-4", say, mw.deputy, item, "agree", "两位都合适")
    assert "candidate" in err.detail["fields"]
    refused(Invalid, "R-MTG-4", say, mw.deputy, item, "agree", "理由", candidate="张三")
    refused(Invalid, "R-MTG-4", say, mw.deputy, item, "disagree", "理由", candidate="李秀英")
    say(mw.deputy, item, "agree", "耐心细致，熟悉民政业务", candidate="李秀英")


@pytest.mark.parametrize(
    ("named", "decision", "winner"),
    [
        pytest.param(
            ("李秀英", "王建国", "李秀英", "李秀英"), "passed", "李秀英", id="less-obvious-wins-on-merit"
        ),
        pytest.param(("李秀英", "王建国", "王建国", "李秀英"), "deferred", None, id="split-vote-no-decision"),
    ],
)
def test_personnel_vote(mw, named, decision, winner):
    """The deputies, then the principal (last), each agree naming a candidate."""
    meeting, item = personnel_meeting(mw)
    for member, candidate in zip((mw.deputy, mw.deputy2, mw.deputy3, mw.principal), named, strict=True):
        say(member, item, candidate=candidate)
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    assert (result["decision"], result["winner"], result["agree"]) == (decision, winner, 4)
    item.refresh_from_db()
    assert (item.winner.name if item.winner else None) == winner


# -- R-MTG-5 real-name recommendations -----------------------------------------------------------


def test_statements_wait_for_a_recommendation_of_every_candidate(mw):
    meeting = convene(mw, items=[{"title": "所长", "candidates": ["甲", "乙"], "presenter": mw.deputy}])
    item = meeting.items.get()
    attend_all(mw, meeting)
    services.recommend(by=mw.deputy2, item=item, candidate="甲", reason="踏实")
    err = refused(Conflict, "R-MTG-5", say, mw.deputy, item, candidate="甲")
    assert err.detail["candidates"] == ["乙"]
    services.recommend(by=mw.staff, item=item, candidate="乙", reason="熟悉业务")
    say(mw.deputy, item, candidate="乙")


def test_recommendation_rules(mw):
    meeting = convene(mw, items=[{"title": "所长", "candidates": ["甲", mw.staff2.username]}])
    item = meeting.items.get()
    rec = services.recommend(by=mw.deputy, item=item, candidate="甲", reason="踏实肯干")
    assert rec.recommender == mw.deputy
    assert Entry.objects.filter(event_type="meeting.recommendation").count() == 1
    refused(Conflict, "R-MTG-5", services.recommend, by=mw.deputy, item=item, candidate="甲", reason="再推")
    refused(Invalid, "R-MTG-5", services.recommend, by=mw.deputy, item=item, candidate="丙", reason="x")
    refused(Invalid, "R-MTG-5", services.recommend, by=mw.deputy, item=item, candidate="甲", reason=" ")
    refused(Forbidden, "R-MTG-5", services.recommend, by=mw.outsider, item=item, candidate="甲", reason="x")
    refused(
        Forbidden,
        "R-MTG-5",
        services.recommend,
        by=mw.staff2,
        item=item,
        candidate=mw.staff2.username,
        reason="我自己",
    )


def test_unrecommended_candidate_defers_the_item_at_close(mw):
    meeting = convene(mw, items=[{"title": "所长", "candidates": ["甲", "乙"]}])
    attend_all(mw, meeting)
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    assert result["decision"] == "deferred" and result["blocked"]


def test_integrity_prerequisites_seam_defers(mw, monkeypatch):
    from zhiheng.meetings import eligibility

    monkeypatch.setattr(eligibility, "candidate_prerequisites", lambda c: ["未通过廉政考试"])
    meeting = convene(mw, items=[{"title": "所长", "candidates": ["甲"]}])
    item = meeting.items.get()
    services.recommend(by=mw.deputy2, item=item, candidate="甲", reason="踏实")
    attend_all(mw, meeting)
    for p in (mw.deputy, mw.deputy2, mw.deputy3, mw.principal):
        say(p, item)
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    assert result["decision"] == "deferred" and result["reason"] == "R-MTG-5"
    assert result["blocked"] == ["甲：未通过廉政考试"]


# -- R-MTG-6/7 computed outcomes, sealing, corrections --------------------------------------------


def test_close_computes_seals_and_checkpoints(mw, django_capture_on_commit_callbacks):
    meeting = convene(
        mw, items=[{"title": "甲议题", "presenter": mw.deputy}, {"title": "乙议题"}, {"title": "丙议题"}]
    )
    first, second, third = meeting.items.order_by("number")
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy2], observers=[mw.inspector])
    for p, pos in ((mw.deputy, "agree"), (mw.deputy2, "agree"), (mw.principal, "disagree")):
        say(p, first, pos)
    for p, pos in ((mw.deputy, "defer"), (mw.deputy2, "defer"), (mw.principal, "agree")):
        say(p, second, pos)
    # Silence never decides (issue 9 hole 2): the close waits until the chair defers the third item.
    refused(Conflict, "R-MTG-4", services.close_meeting, by=mw.principal, meeting=meeting)
    services.defer_item(by=mw.principal, item=third, reason="材料尚不齐备，下次再议")
    before, checkpoints = ledger_size(), Checkpoint.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        results = services.close_meeting(by=mw.principal, meeting=meeting)
    assert [(r["id"], r["decision"], r["agree"], r["disagree"], r["defer"]) for r in results] == [
        (first.pk, "passed", 2, 1, 0),
        (second.pk, "deferred", 1, 0, 2),
        (third.pk, "deferred", 0, 0, 0),
    ]
    assert results[2]["reason"] == "deferred-by-chair"
    codes = list(Entry.objects.filter(index__gte=before).values_list("event_type", flat=True))
    assert codes == ["meeting.item_decided"] * 3 + ["meeting.sealed"]
    meeting.refresh_from_db()
    assert meeting.state == "sealed" and len(meeting.minutes_digest) == 64
    assert meeting.minutes_digest in Entry.objects.get(event_type="meeting.sealed").text
    assert Checkpoint.objects.count() == checkpoints + 1
    assert verify_all().ok


def test_no_quorum(mw):
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy])
    item = meeting.items.get()
    say(mw.deputy, item)
    say(mw.principal, item)
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    assert result["decision"] == "no-quorum"


def test_personnel_quorum_is_two_thirds(mw):
    meeting2 = convene(mw, items=[{"title": "任免", "personnel": True, "presenter": mw.deputy}])
    services.record_attendance(by=mw.principal, meeting=meeting2, present=[mw.principal, mw.deputy])
    [result] = services.close_meeting(by=mw.principal, meeting=meeting2)
    assert result["decision"] == "no-quorum"


def test_configured_quorum(mw):
    put("meetings", unit=mw.unit, values={"quorum": {"num": 3, "den": 4, "strict": False}})
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy3])  # 3 of 4 → at least 3/4
    for person in (mw.deputy, mw.deputy3, mw.principal):
        say(person, meeting.items.get(), "disagree")
    assert services.close_meeting(by=mw.principal, meeting=meeting)[0]["decision"] == "rejected"
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy])
    assert services.close_meeting(by=mw.principal, meeting=meeting)[0]["decision"] == "no-quorum"


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("principal", True),
        ("deputy", False),
        ("inspector", False),
        ("admin", False),
        ("staff", False),
        ("outsider", False),
    ],
)
def test_persona_matrix_close(mw, who, allowed):
    meeting = convene(mw)
    if allowed:
        services.close_meeting(by=getattr(mw, who), meeting=meeting)
    else:
        refused(Forbidden, "R-MTG-1", services.close_meeting, by=getattr(mw, who), meeting=meeting)
        meeting.refresh_from_db()
        assert meeting.state == "open"


def test_a_named_chair_closes(mw):
    meeting = convene(mw, chair=mw.deputy)
    services.close_meeting(by=mw.deputy, meeting=meeting)


def test_nothing_sealed_is_edited(mw):
    meeting = convene(mw)
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy2])
    item = meeting.items.get()
    services.defer_item(by=mw.principal, item=item, reason="下次再议")
    services.close_meeting(by=mw.principal, meeting=meeting)
    refused(Conflict, "R-MTG-7", say, mw.deputy, item)
    refused(Conflict, "R-MTG-7", attend_all, mw, meeting, present=[mw.deputy3])
    refused(Conflict, "R-MTG-7", services.add_item, by=mw.principal, meeting=meeting, title="补充议题")
    refused(Conflict, "R-MTG-7", services.close_meeting, by=mw.principal, meeting=meeting)
    refused(Conflict, "R-MTG-7", services.recommend, by=mw.deputy, item=item, candidate="x", reason="y")


def test_corrections_are_new_dated_entries(mw):
    meeting = convene(mw)
    refused(Conflict, "R-MTG-7", services.correct, by=mw.principal, meeting=meeting, text="改")
    services.close_meeting(by=mw.principal, meeting=meeting)
    refused(Forbidden, "R-MTG-7", services.correct, by=mw.deputy2, meeting=meeting, text="改")
    refused(Invalid, "R-MTG-7", services.correct, by=mw.inspector, meeting=meeting, text=" ")
    meeting.refresh_from_db()
    digest = meeting.minutes_digest
    assert len(digest) == 64
    correction = services.correct(
        by=mw.inspector, meeting=meeting, text="第1项议题名称笔误", item=meeting.items.get()
    )
    assert Correction.objects.get() == correction
    assert Entry.objects.filter(event_type="meeting.corrected").count() == 1
    meeting.refresh_from_db()
    assert meeting.minutes_digest == digest


# -- R-MTG-8 working groups -----------------------------------------------------------------------


def test_working_group_needs_the_inspector(mw):
    from zhiheng.powers.models import Category

    assert Category.objects.filter(code="finance").exists()
    meeting = convene(mw, kind="working_group", category="finance")
    attend_all(mw, meeting)
    item = meeting.items.get()
    for p in (mw.deputy, mw.deputy2, mw.deputy3, mw.principal):
        say(p, item)
    assert services.close_meeting(by=mw.principal, meeting=meeting)[0]["decision"] == "no-quorum"

    meeting = convene(mw, kind="working_group", category="finance")
    attend_all(mw, meeting, present=[*mw.voters, mw.inspector])
    item = meeting.items.get()
    say(mw.inspector, item, "disagree", "供应商资质存疑")  # takes part, out of the speaking order, not a vote
    for p in (mw.deputy, mw.deputy2, mw.deputy3, mw.principal):
        say(p, item)
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    assert (result["decision"], result["agree"], result["disagree"]) == ("passed", 4, 0)
    assert item.statements.get(person=mw.inspector).counted is False


# -- R-MTG-9 recusal ------------------------------------------------------------------------------


def test_a_member_who_is_a_candidate_is_recused(mw):
    meeting = convene(
        mw,
        items=[
            {"title": "副职人选", "candidates": [mw.deputy3.username, "外部人选"], "presenter": mw.deputy}
        ],
    )
    item = meeting.items.get()
    assert item.candidates.first().name == mw.deputy3.name
    put_in_order(
        mw.deputy3
    )  # R-MTG-5: a candidate with an account is decided on only with the gates in order
    services.recommend(by=mw.deputy, item=item, candidate=mw.deputy3.username, reason="能力强")
    services.recommend(by=mw.deputy2, item=item, candidate="外部人选", reason="经验丰富")
    attend_all(mw, meeting)
    err = refused(Conflict, "R-MTG-9", say, mw.deputy3, item, candidate="外部人选")
    assert err.detail["reason"] == "candidate"
    say(mw.deputy, item, candidate="外部人选")
    say(mw.deputy2, item, candidate="外部人选")
    say(mw.principal, item, candidate="外部人选")  # not waiting for the recused deputy3
    [result] = services.close_meeting(by=mw.principal, meeting=meeting)
    # eligible 3 (4 − recused), present 3 ≥ 2/3; 3 of 3 name 外部人选
    assert result["decision"] == "passed" and result["winner"] == "外部人选"
    sealed = Entry.objects.filter(event_type="meeting.item_decided").last()
    assert f'"recused":{{"{mw.deputy3.username}":"candidate"}}' in sealed.text
