"""Issue 9: a chair, a principal or a deputy cannot get around the collective-decision rules with a
sequence of legitimate API calls. One test per hole, through the public API, asserting the refusal's
rule id and that nothing changed (no row, no ledger entry).

Holes: 2 silence becomes a rejection · 3 the principal speaks early · 4 a meeting that cannot seal ·
5 the enforcement joint review skipped · 6 candidates by display name · 9 a collective decision credited
to the chair · 10 sealed rows edited in the database · 12 meetings dated freely.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from zhiheng.core import clock
from zhiheng.ledger import guard as ledger_guard
from zhiheng.ledger.models import Entry
from zhiheng.matters import services as matters
from zhiheng.matters.models import Matter
from zhiheng.matters.tests.conftest import DAY, build_matters_world
from zhiheng.meetings.models import Item, Meeting, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def nw(world):
    with clock.frozen(clock.at(DAY, 9)):
        w = build_matters_world(world)
        w.team = [w.principal, w.deputy, w.deputy2, w.deputy3]
        yield w


def error(response, status: int, rule: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["rule"] == rule, body
    return body


def purchase(w, amount="80000.00", line=None, title="采购执法记录仪"):
    return matters.submit(
        by=w.staff,
        unit=w.unit,
        power=w.power["procurement"],
        title=title,
        amount=amount,
        counterparty="某供应商",
        budget_line=line,
    )


def convene(api, w, items, date=None):
    r = api.as_(w.principal).post(
        "/api/v1/meetings",
        {"unit": w.unit.code, "kind": "party_committee", "date": (date or DAY).isoformat(), "items": items},
    )
    assert r.status_code == 201, r.content
    return r.json()


def attend(api, w, meeting, people):
    r = api.as_(w.principal).post(
        f"/api/v1/meetings/{meeting['id']}/attendance", {"present": [p.username for p in people]}
    )
    assert r.status_code == 200, r.content


def state(api, person, meeting, item, position="agree", **extra):
    return api.as_(person).post(
        f"/api/v1/meetings/{meeting['id']}/items/{item}/statements",
        {"position": position, "reason": "理由充分", **extra},
    )


# -- hole 2: silence is not a rejection ------------------------------------------------------------


def test_close_waits_for_every_present_voter_or_an_explicit_deferral(api_client, nw):
    w = nw
    matter = purchase(w)
    meeting = convene(api_client, w, [{"matter": matter.pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, w.team)
    before = Entry.objects.count()
    body = error(api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close"), 409, "R-MTG-4")
    assert body["detail"]["items"][0]["waiting_for"] == sorted(p.username for p in w.team)
    assert Entry.objects.count() == before and Meeting.objects.get().state == "open"
    # Deferral needs the chair and a reason.
    defer = f"/api/v1/meetings/{meeting['id']}/items/{item}/defer"
    error(api_client.as_(w.deputy).post(defer, {"reason": "再议"}), 403, "R-MTG-6")
    error(api_client.as_(w.principal).post(defer, {"reason": " "}), 422, "R-MTG-6")
    assert Entry.objects.count() == before
    assert api_client.as_(w.principal).post(defer, {"reason": "材料不齐，下次再议"}).status_code == 200
    closed = api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close").json()
    assert closed["items"][0]["decision"] == "deferred"
    matter.refresh_from_db()
    assert matter.state == "collective_review"  # back to the pool, never "rejected"


def test_the_chair_cannot_defer_once_everyone_has_stated(api_client, nw):
    w = nw
    meeting = convene(api_client, w, [{"matter": purchase(w).pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, w.team)
    for person in (w.deputy2, w.deputy, w.deputy3, w.principal):
        assert state(api_client, person, meeting, item).status_code == 201
    r = api_client.as_(w.principal).post(
        f"/api/v1/meetings/{meeting['id']}/items/{item}/defer", {"reason": "我改主意了"}
    )
    error(r, 409, "R-MTG-6")


# -- hole 3: the principal never states before another member on the same item --------------------


def test_members_registered_after_the_first_statement_are_late_for_the_item(api_client, nw):
    w = nw
    matter = purchase(w)
    meeting = convene(api_client, w, [{"matter": matter.pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, [w.principal, w.deputy2])  # the presenter and the principal only
    assert state(api_client, w.deputy2, meeting, item).status_code == 201
    assert state(api_client, w.principal, meeting, item).status_code == 201  # last of the roll of two
    attend(api_client, w, meeting, [w.deputy, w.deputy3])  # then the others are registered
    before = Statement.objects.count()
    for late in (w.deputy, w.deputy3):
        error(state(api_client, late, meeting, item), 409, "R-MTG-3")
    assert Statement.objects.count() == before
    [result] = api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close").json()["items"]
    assert result["decision"] == "no-quorum"  # 2 of 4 on the roll: the late arrivals never count
    matter.refresh_from_db()
    assert matter.state == "collective_review"
    principal_seq = Statement.objects.get(item_id=item, person=w.principal).seq
    assert principal_seq == Statement.objects.filter(item_id=item).order_by("-seq").first().seq


def test_late_arrivals_vote_on_the_next_item(api_client, nw):
    w = nw
    first, second = purchase(w, title="甲"), purchase(w, title="乙")
    meeting = convene(api_client, w, [{"matter": first.pk}, {"matter": second.pk}])
    one, two = (i["id"] for i in meeting["items"])
    attend(api_client, w, meeting, [w.principal, w.deputy2, w.deputy])
    for person in (w.deputy2, w.deputy, w.principal):
        assert state(api_client, person, meeting, one).status_code == 201
    attend(api_client, w, meeting, [w.deputy3])
    error(state(api_client, w.deputy3, meeting, one), 409, "R-MTG-3")
    assert state(api_client, w.deputy2, meeting, two).status_code == 201
    error(state(api_client, w.principal, meeting, two), 409, "R-MTG-3")  # deputy3 counts on item two
    for person in (w.deputy, w.deputy3, w.principal):
        assert state(api_client, person, meeting, two).status_code == 201


# -- hole 4: the close always seals; matters not ready stay off the agenda --------------------------


def test_a_pass_the_budget_cannot_cover_is_sealed_as_blocked(api_client, nw):
    w = nw
    matter = purchase(w, amount="90000.00", line=w.office)  # over the threshold; line has ¥100,000
    other = purchase(w, amount="20000.00", line=w.office, title="小额采购")
    matters.approve(matter=other, by=w.deputy2)  # the line now has ¥80,000 left
    meeting = convene(api_client, w, [{"matter": matter.pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, w.team)
    for person in (w.deputy2, w.deputy, w.deputy3, w.principal):
        assert state(api_client, person, meeting, item).status_code == 201
    r = api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close")
    assert r.status_code == 200, r.content
    [result] = r.json()["items"]
    assert (result["decision"], result["effect"], result["effect_detail"]["rule"]) == (
        "passed",
        "blocked",
        "R-MAT-5",
    )
    assert Meeting.objects.get().state == "sealed"
    matter.refresh_from_db()
    assert (matter.state, matter.reserved_amount) == ("collective_review", None)
    assert matter.events.filter(action="collective_blocked").exists()
    w.office.refresh_from_db()
    assert w.office.reserved <= w.office.amount


def test_a_matter_still_in_joint_review_cannot_go_on_the_agenda(api_client, nw):
    w = nw
    penalty = matters.submit(
        by=w.staff, unit=w.unit, power=w.power["admin-enforcement"], title="罚款 5 万元", amount="50000.00"
    )
    matters.veto(matter=penalty, by=w.principal, reason="处罚依据不足")  # vetoed → awaits the meeting
    matters.joint_review(matter=penalty, by=w.legal, opinion="agree")
    before = Entry.objects.count()
    r = api_client.as_(w.principal).post(
        "/api/v1/meetings",
        {
            "unit": w.unit.code,
            "kind": "party_committee",
            "date": DAY.isoformat(),
            "items": [{"matter": penalty.pk}],
        },
    )
    body = error(r, 409, "R-MAT-7")
    assert set(body["detail"]["waiting_for"]) == {w.deputy3.username, w.inspector.username}
    assert Entry.objects.count() == before and not Meeting.objects.exists()


# -- hole 5: the enforcement joint review holds on every path ---------------------------------------


def test_referring_an_enforcement_decision_needs_the_joint_review_first(api_client, nw):
    w = nw
    penalty = matters.submit(
        by=w.staff, unit=w.unit, power=w.power["admin-enforcement"], title="罚款 5 万元", amount="50000.00"
    )
    before = Entry.objects.count()
    error(
        api_client.as_(w.deputy3).post(f"/api/v1/matters/{penalty.pk}/refer", {"reason": "上会"}),
        409,
        "R-MAT-7",
    )
    assert Entry.objects.count() == before
    assert Matter.objects.get(pk=penalty.pk).state == "submitted"
    for member in (w.deputy3, w.legal, w.inspector):
        matters.joint_review(matter=penalty, by=member, opinion="agree")
    r = api_client.as_(w.deputy3).post(f"/api/v1/matters/{penalty.pk}/refer", {"reason": "重大处罚上会"})
    assert r.status_code == 200 and r.json()["state"] == "collective_review"


# -- hole 6: internal candidates are people ---------------------------------------------------------


def test_a_team_member_named_by_display_name_is_refused_and_by_account_is_recused(api_client, nw):
    w = nw
    items = [
        {
            "title": "办公室主任人选",
            "candidates": [w.deputy.name, "外部人选甲"],
            "presenter": w.deputy3.username,
        }
    ]
    before = Entry.objects.count()
    r = api_client.as_(w.principal).post(
        "/api/v1/meetings",
        {"unit": w.unit.code, "kind": "party_committee", "date": DAY.isoformat(), "items": items},
    )
    error(r, 422, "R-MTG-5")
    assert Entry.objects.count() == before and not Meeting.objects.exists()
    items[0]["candidates"] = [w.deputy.username, "外部人选甲"]
    meeting = convene(api_client, w, items)
    item = meeting["items"][0]
    assert item["candidates"][0]["username"] == w.deputy.username
    assert item["recused"] == {w.deputy.username: "candidate"}
    r = api_client.as_(w.deputy).post(
        f"/api/v1/meetings/{meeting['id']}/items/{item['id']}/recommendations",
        {"candidate": w.deputy.username, "reason": "我最合适"},
    )
    error(r, 403, "R-MTG-5")
    attend(api_client, w, meeting, w.team)
    error(state(api_client, w.deputy, meeting, item["id"], candidate=w.deputy.username), 409, "R-MTG-9")


@pytest.mark.parametrize(
    "spelt", ["{0} {1}", "{0}\u3000{1}", " {0}·{1} "], ids=["space", "ideographic", "dot"]
)
def test_a_display_name_spelt_apart_is_still_refused(api_client, nw, spelt):
    """Issue 16: a free name escapes R-MTG-5's integrity gates (only an account can be checked), so a
    team member's name written with a space or a dot inside is refused like the name itself."""
    w = nw
    name = spelt.format(w.deputy.name[0], w.deputy.name[1:])
    items = [{"title": "办公室主任人选", "candidates": [name], "presenter": w.deputy3.username}]
    r = api_client.as_(w.principal).post(
        "/api/v1/meetings",
        {"unit": w.unit.code, "kind": "party_committee", "date": DAY.isoformat(), "items": items},
    )
    error(r, 422, "R-MTG-5")
    assert not Meeting.objects.exists()


def test_a_term_ended_back_dated_after_the_roll_neither_states_nor_escapes_recusal(api_client, nw):
    """Found by the invariant test: a candidate registered present, whose term the commission then ends
    back-dated before the meeting's date, is no member on that date — so recusal (computed over the
    members) did not list them, and their statement was counted. They may not state at all."""
    from zhiheng.core.errors import Forbidden
    from zhiheng.meetings import selectors as meeting_selectors
    from zhiheng.meetings import services as meeting_services
    from zhiheng.org import services as org_services
    from zhiheng.org.models import Membership

    w = nw
    items = [{"title": "办公室主任人选", "candidates": [w.deputy2.username], "presenter": w.deputy3.username}]
    meeting = convene(api_client, w, items)
    item = meeting["items"][0]
    attend(api_client, w, meeting, w.team)
    term = Membership.objects.get(unit=w.unit, person=w.deputy2, end__isnull=True)
    org_services.end_term(by=None, membership=term, end=DAY - dt.timedelta(days=1))
    before = (Entry.objects.count(), Statement.objects.count())
    # Their sign-in ended with the term; a service call (a task, the shell) meets the rule itself.
    target = meeting_selectors.get_item(Meeting.objects.get(pk=meeting["id"]), item["id"])
    with pytest.raises(Forbidden) as refused:
        meeting_services.state(
            by=w.deputy2, item=target, position="agree", reason="理由充分", candidate=w.deputy2.username
        )
    assert refused.value.rule == "R-MTG-1" and refused.value.detail["member"] == w.deputy2.username
    assert (Entry.objects.count(), Statement.objects.count()) == before


# -- hole 9: the meeting decides, the chair chairs --------------------------------------------------


def test_a_collective_decision_is_the_meetings_not_the_chairs(api_client, nw):
    w = nw
    matter = purchase(w)
    meeting = convene(api_client, w, [{"matter": matter.pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, w.team)
    for person in (w.deputy2, w.deputy, w.deputy3, w.principal):
        state(api_client, person, meeting, item)
    api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close")
    out = api_client.as_(w.principal).get(f"/api/v1/matters/{matter.pk}").json()
    ref = f"meeting:{meeting['id']}/item:{item}"
    assert out["state"] == "approved"
    assert out["decided_by"] is None and out["decided_by_meeting"] == ref
    entry = Entry.objects.get(event_type="matter.collective_decision", subject=f"matter:{matter.pk}")
    assert entry.actor == ref
    assert f'"chair":"{w.principal.username}"' in entry.text
    assert '"tally":{"agree":4,"defer":0,"disagree":0}' in entry.text
    collective = [h for h in out["history"] if h["action"] == "collective"]
    assert collective[0]["actor"] is None


# -- hole 10: nothing sealed changes, and verification re-derives the minutes -----------------------


def _sealed_meeting(api_client, w):
    matter = purchase(w)
    meeting = convene(api_client, w, [{"matter": matter.pk}])
    item = meeting["items"][0]["id"]
    attend(api_client, w, meeting, w.team)
    for person in (w.deputy2, w.deputy, w.deputy3, w.principal):
        state(api_client, person, meeting, item)
    api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close")
    return Meeting.objects.get(pk=meeting["id"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meetings_statement SET position = 'disagree'",
        "DELETE FROM meetings_statement",
        "UPDATE meetings_item SET decision = 'rejected'",
        "DELETE FROM meetings_attendance",
        "UPDATE meetings_meeting SET minutes_digest = 'x'",
    ],
)
def test_the_database_refuses_edits_of_sealed_rows(api_client, nw, sql):
    w = nw
    _sealed_meeting(api_client, w)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_ledger_verify_re_derives_sealed_minutes(api_client, nw, capsys):
    w = nw
    meeting = _sealed_meeting(api_client, w)
    call_command("ledger", "verify")
    assert "OK" in capsys.readouterr().out
    statement = Statement.objects.filter(item__meeting=meeting).order_by("seq").first()
    with _guard_lifted():
        Statement.objects.filter(pk=statement.pk).update(position="disagree")
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "verify")
    assert exit_.value.code == 1
    assert f"meeting:{meeting.pk}" in capsys.readouterr().err


def _guard_lifted():
    """The tamper trial's way around the triggers: the ledger guard's switch on SQLite; on PostgreSQL
    the table owner disables the trigger inside the transaction."""
    if connection.vendor == "postgresql":
        import contextlib

        @contextlib.contextmanager
        def lifted():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK events block the DDL
                cursor.execute("ALTER TABLE meetings_statement DISABLE TRIGGER meetings_statement_sealed")
                yield
                cursor.execute("ALTER TABLE meetings_statement ENABLE TRIGGER meetings_statement_sealed")

        return lifted()
    return ledger_guard.allow_rewrite()


# -- hole 12: a meeting is held now ----------------------------------------------------------------


@pytest.mark.parametrize("date", ["2025-01-02", "9999-12-31", (DAY - dt.timedelta(days=8)).isoformat()])
def test_meetings_cannot_be_dated_freely(api_client, nw, date):
    w = nw
    before = Entry.objects.count()
    r = api_client.as_(w.principal).post(
        "/api/v1/meetings", {"unit": w.unit.code, "kind": "party_committee", "date": date, "items": []}
    )
    error(r, 422, "R-MTG-1")
    assert Entry.objects.count() == before and not Meeting.objects.exists()


def test_a_paper_meeting_cannot_decide_a_matter_submitted_after_it(api_client, nw):
    w = nw
    matter = purchase(w)  # submitted on DAY
    r = api_client.as_(w.principal).post(
        "/api/v1/meetings",
        {
            "unit": w.unit.code,
            "kind": "party_committee",
            "date": (DAY - dt.timedelta(days=2)).isoformat(),
            "items": [{"matter": matter.pk}],
        },
    )
    error(r, 409, "R-MTG-1")
    assert not Meeting.objects.exists() and not Item.objects.exists()


def test_nobody_states_before_the_meeting_date(api_client, nw):
    w = nw
    meeting = convene(
        api_client,
        w,
        [{"title": "下周的议题", "presenter": w.deputy2.username}],
        date=DAY + dt.timedelta(days=5),
    )
    r = api_client.as_(w.principal).post(
        f"/api/v1/meetings/{meeting['id']}/attendance", {"present": [w.principal.username]}
    )
    error(r, 409, "R-MTG-1")
    error(api_client.as_(w.principal).post(f"/api/v1/meetings/{meeting['id']}/close"), 409, "R-MTG-1")
