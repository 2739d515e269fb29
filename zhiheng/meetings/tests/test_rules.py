"""The persona matrix of the meetings rules: who may state on an item in each situation, and the three
answers agreeing — `rules.can_state` (pages, API actions), `rules.ensure_state` (services) and what
`services.state` actually does — plus the room showing the statement form exactly when `can_state`."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from zhiheng.core.errors import DomainError
from zhiheng.meetings import errors, rules, selectors, services
from zhiheng.meetings.models import Item, Statement

from .conftest import attend_all, convene, ledger_size, say

pytestmark = pytest.mark.django_db

PERSONAS = ("admin", "principal", "deputy", "deputy2", "inspector", "staff", "outsider")


def _room(w: SimpleNamespace, **kw: object) -> Item:
    """A meeting of the team with everyone present: the four voters, the unit inspector (recorded as
    inspector), a member of staff as observer; the commission admin and the outsider are not there."""
    meeting = convene(w, **kw)
    attend_all(w, meeting, present=[*w.voters, w.inspector], observers=[w.staff])
    item = meeting.items.get()
    item.meeting = meeting
    return item


def fresh(w: SimpleNamespace) -> Item:
    """Nobody has stated: the deputy in charge presents and states first (R-MTG-3)."""
    return _room(w)


def principal_last(w: SimpleNamespace) -> Item:
    """Every other voter has stated: now the principal (R-MTG-3)."""
    item = _room(w)
    for p in (w.deputy, w.deputy2, w.deputy3):
        say(p, item)
    return item


def working_group(w: SimpleNamespace) -> Item:
    """A working group: the unit inspector states too, outside the speaking order (R-MTG-8)."""
    return _room(w, kind="working_group", category="finance")


def unrecommended(w: SimpleNamespace) -> Item:
    """A personnel item whose candidates nobody has recommended yet: nobody states (R-MTG-5)."""
    return _room(w, items=[{"title": "所长人选", "candidates": ["甲", "乙"], "presenter": w.deputy}])


def deferred(w: SimpleNamespace) -> Item:
    """The chair deferred the item: nobody states any more (R-MTG-6)."""
    item = _room(w)
    services.defer_item(by=w.principal, item=item, reason="材料不全")
    item.refresh_from_db()
    return item


def sealed(w: SimpleNamespace) -> Item:
    """The minutes are sealed: nothing more is said (R-MTG-7)."""
    item = principal_last(w)
    say(w.principal, item)
    services.close_meeting(by=w.principal, meeting=item.meeting)
    item.meeting.refresh_from_db()
    return item


SCENARIOS: dict[str, tuple[Callable[[SimpleNamespace], Item], set[str]]] = {
    "fresh": (fresh, {"deputy"}),
    "principal_last": (principal_last, {"principal"}),
    "working_group": (working_group, {"deputy", "inspector"}),
    "unrecommended": (unrecommended, set()),
    "deferred": (deferred, set()),
    "sealed": (sealed, set()),
}


def _statement_args(item: Item) -> dict[str, str | None]:
    first = item.candidates.order_by("number").first()
    return {"position": "agree", "reason": "理由充分", "candidate": first.name if first else None}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_can_state_ensure_state_and_the_service_agree(mw, scenario, persona):
    build, who_may = SCENARIOS[scenario]
    item = build(mw)
    person = getattr(mw, persona)

    may = rules.can_state(person, item)
    assert may is (persona in who_may)
    refusal = rules.statement_refusal(person, item)
    assert (refusal is None) is may
    if may:
        rules.ensure_state(person, item)
    else:
        with pytest.raises(DomainError) as ensured:
            rules.ensure_state(person, item)
        assert type(ensured.value) is type(refusal) and ensured.value.as_dict() == refusal.as_dict()

    before = (ledger_size(), Statement.objects.count())
    if may:
        statement = services.state(by=person, item=item, **_statement_args(item))
        assert statement.person == person and ledger_size() == before[0] + 1
    else:
        with pytest.raises(DomainError) as raised:
            services.state(by=person, item=item, **_statement_args(item))
        assert type(raised.value) is type(refusal) and raised.value.as_dict() == refusal.as_dict()
        assert (ledger_size(), Statement.objects.count()) == before  # nothing written, nothing recorded


def test_who_waits_sees_the_refusal_they_would_get(mw):
    item = fresh(mw)
    lock = rules.statement_lock(mw.principal, item)
    assert isinstance(lock, errors.OutOfOrder) and lock.rule == "R-MTG-3"
    assert lock.detail == {"waiting_for": [mw.deputy.username]}
    assert rules.statement_lock(mw.deputy, item) is None  # may state: no lock
    assert rules.statement_lock(mw.staff, item) is None  # an observer has no statement to make
    assert rules.statement_lock(mw.outsider, item) is None
    item = unrecommended(mw)
    lock = rules.statement_lock(mw.deputy, item)
    assert isinstance(lock, errors.RecommendationsMissing) and lock.detail == {"candidates": ["甲", "乙"]}


def test_a_late_member_is_locked_out_of_the_item_only(mw):
    meeting = convene(
        mw, items=[{"title": "一", "presenter": mw.deputy}, {"title": "二", "presenter": mw.deputy}]
    )
    attend_all(mw, meeting, present=[mw.principal, mw.deputy, mw.deputy2])
    one, two = meeting.items.order_by("number")
    say(mw.deputy, one)
    attend_all(mw, meeting, present=[mw.deputy3])
    one.refresh_from_db()
    one.meeting = two.meeting = meeting
    lock = rules.statement_lock(mw.deputy3, one)
    assert isinstance(lock, errors.LateForItem) and not rules.can_state(mw.deputy3, one)
    assert rules.statement_lock(mw.deputy3, two) is not None  # on item two the deputy presents first
    say(mw.deputy, two)
    assert rules.can_state(mw.deputy3, two)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_room_shows_the_statement_form_exactly_when_can_state(client, mw, scenario, persona):
    from zhiheng.org.tests.factories import PASSWORD

    build, _ = SCENARIOS[scenario]
    item = build(mw)
    person = getattr(mw, persona)
    assert client.login(username=person.username, password=PASSWORD)
    fragment = client.get(f"/meetings/{item.meeting_id}/items/{item.pk}/", HTTP_HX_REQUEST="true")
    page = fragment.content.decode()
    assert fragment.status_code == (200 if rules.can_view(person, item.meeting) else 404)
    assert ('data-testid="statement-form"' in page) is rules.can_state(person, item)
    assert ('data-testid="statement-locked"' in page) is (rules.statement_lock(person, item) is not None)


def test_the_api_gives_the_same_answers(api_client, mw):
    item = fresh(mw)
    for persona, may in (("deputy", True), ("principal", False), ("inspector", False), ("admin", False)):
        r = api_client.as_(getattr(mw, persona)).get(f"/api/v1/meetings/{item.meeting_id}")
        [out] = r.json()["items"]
        assert out["actions"]["state"] is may is rules.can_state(getattr(mw, persona), item)
    [out] = api_client.as_(mw.principal).get(f"/api/v1/meetings/{item.meeting_id}").json()["items"]
    assert out["actions"]["state_lock"]["rule"] == "R-MTG-3"
    assert out["actions"]["defer"] is True and out["actions"]["recommend"] is False


@pytest.mark.parametrize("persona", PERSONAS)
def test_defer_and_close_answers_match_the_services(mw, persona):
    person = getattr(mw, persona)
    item = fresh(mw)
    st = selectors.item_state(item)
    assert rules.can_defer(person, item, st) is (persona == "principal")
    assert rules.can_close(person, item.meeting) is (persona == "principal")
    if not rules.can_defer(person, item, st):
        with pytest.raises(DomainError) as raised:
            services.defer_item(by=person, item=item, reason="再议")
        assert raised.value.as_dict() == rules.defer_refusal(person, item, st).as_dict()
