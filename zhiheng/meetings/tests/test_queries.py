"""The room and the sealed minutes read a meeting in a fixed number of queries, whatever its number of
items (issue 12): the same count for 2 items and for 10, each with candidates, recommendations,
statements and half of them deciding a matter, for the principal, a deputy and the commission admin.
And they show what the per-item path showed: the page is compared with the previous code's rendering
(`_old_item_context` below, one `item_state` and the rules' own queries per item)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from zhiheng.core import clock
from zhiheng.matters import services as matters
from zhiheng.meetings import rules, selectors, services
from zhiheng.meetings.models import Meeting, MeetingState
from zhiheng.meetings.web import views
from zhiheng.meetings.web.forms import AttendanceForm, ItemForm, RecommendationForm, StatementForm
from zhiheng.org import selectors as org
from zhiheng.org.models import Role
from zhiheng.parameters.tests.factories import put
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers import services as power_services

from .conftest import DAY, attend_all
from .test_web import login

pytestmark = pytest.mark.django_db

VIEWERS = ("principal", "deputy", "admin")


@pytest.fixture
def qw(world):
    """The `mw` world with powers assigned (procurement to deputy2), so items can decide matters."""
    w = world
    with clock.frozen(clock.at(dt.date(2012, 1, 2))):
        for code, name, category in [("finance", "财务", "finance"), ("procurement", "采购", "procurement")]:
            power_services.save_power(by=None, unit=w.unit, code=code, name=name, category=category)
        power_services.set_unit_policy(
            by=None,
            unit=w.unit,
            template=power_selectors.latest_template("jiangbei-3x"),
            x_categories=[],
            in_force_from=dt.date(2012, 1, 1),
        )
        plan = power_services.draft_plan(
            by=w.principal,
            unit=w.unit,
            assignments=[("finance", w.deputy.username), ("procurement", w.deputy2.username)],
        )
        power_services.file_plan(by=w.principal, plan=plan, in_force_from=dt.date(2012, 1, 2))
    with clock.frozen(clock.at(DAY, 9)):
        w.day = DAY
        w.voters = [w.principal, w.deputy, w.deputy2, w.deputy3]
        w.procurement = power_selectors.get_power(w.unit, "procurement")
        yield w


def agenda(w, n: int, *, sealed: bool) -> Meeting:
    """A meeting of `n` items: personnel items (two named candidates and deputy3, who is recused, each
    recommended) and items deciding a purchase over the collective threshold; attendance of the team
    and the inspector. Sealed: everyone states in order and the meeting closes, with a correction.
    Open: the presenter of each item has stated."""
    specs: list[dict[str, Any]] = []
    for k in range(n):
        if k % 2:
            matter = matters.submit(
                by=w.staff,
                unit=w.unit,
                power=w.procurement,
                title=f"采购设备 {k}",
                amount="80000.00",
                counterparty="某供应商",
            )
            specs.append({"matter": matter.pk})
        else:
            specs.append(
                {
                    "title": f"所长人选 {k}",
                    "candidates": [f"王{k}", f"李{k}", w.deputy3.username],
                    "presenter": w.deputy,
                }
            )
    meeting = services.create_meeting(
        by=w.principal, unit=w.unit, kind="party_committee", date=w.day, items=specs
    )
    attend_all(w, meeting, observers=[w.inspector])
    for item in meeting.items.select_related("presenter"):
        item.meeting = meeting
        candidates = list(item.candidates.all())
        for c in candidates:
            services.recommend(by=w.staff, item=item, candidate=c.name, reason=f"{c.name}实绩突出")
        order = [
            item.presenter,
            *(p for p in w.voters if p not in (item.presenter, w.principal)),
            w.principal,
        ]
        order = [p for p in order if p != w.deputy3 or not candidates]  # deputy3 is recused from personnel
        for person in order if sealed else order[:1]:
            services.state(
                by=person,
                item=item,
                position="agree",
                reason=f"{person.name}：同意",
                candidate=candidates[0].name if candidates else None,
            )
    if sealed:
        services.close_meeting(by=w.principal, meeting=meeting)
        services.correct(by=w.principal, meeting=meeting, text="第1项理由笔误，更正")
    return Meeting.objects.get(pk=meeting.pk)


# -- the previous per-item code path, kept here as the reference rendering -------------------------


def _old_item_context(item, viewer) -> dict[str, Any]:
    meeting = item.meeting
    st = selectors.item_state(item)
    mine = next((s for s in st.statements if s.person_id == viewer.pk), None)
    may_state = rules.can_state(viewer, item, st)
    lock = rules.statement_lock(viewer, item, st)
    names = {p.username: p.name for p in st.members}
    return {
        "item": item,
        "meeting": meeting,
        "rows": selectors.statements_visible_to(item, viewer, st.statements),
        "waiting": [] if item.deferred_reason else [names.get(u, u) for u in sorted(st.waiting_for)],
        "late": [names.get(u, u) for u in sorted(st.late)],
        "may_defer": rules.can_defer(viewer, item),
        "recused": {names.get(u, u): r for u, r in st.recused.items()},
        "mine": mine,
        "may_state": may_state or lock is not None,
        "lock": views._lock_shown(lock),
        "is_principal": st.principal is not None and st.principal.pk == viewer.pk,
        "candidates": list(item.candidates.prefetch_related("recommendations__recommender")),
        "statement_form": StatementForm(candidates=item.candidates.all()),
        "recommend_form": RecommendationForm(candidates=item.candidates.all()),
        "can_recommend": rules.can_recommend(viewer, item),
    }


def _old_items(meeting, viewer) -> list[dict[str, Any]]:
    items = list(meeting.items.select_related("presenter", "winner"))
    for item in items:
        item.meeting = meeting
    return [_old_item_context(i, viewer) for i in items]


def _old_minutes(meeting, viewer) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "items": _old_items(meeting, viewer),
        "attendance": selectors.attendance_of(meeting),
        "sealed": meeting.state == MeetingState.SEALED,
        "corrections": meeting.corrections.select_related("by", "item"),
    }


def _old_room(meeting, viewer) -> dict[str, Any]:
    can_manage = rules.can_manage(viewer, meeting)
    people = selectors.voting_members(meeting.unit, meeting.date)
    inspector = selectors.inspector_of(meeting.unit, meeting.date)
    attendance = selectors.attendance_of(meeting)
    deputies = [p for p in people if Role.DEPUTY in org.roles_of(p, meeting.unit, meeting.date)]
    return {
        "meeting": meeting,
        "items": _old_items(meeting, viewer),
        "attendance": attendance,
        "can_manage": can_manage,
        "can_close": rules.can_close(viewer, meeting),
        "can_observe": rules.can_observe(viewer, meeting),
        "attendance_form": AttendanceForm(
            people=[*people, *([inspector] if inspector else [])],
            initial={"present": [a.person.username for a in attendance]},
        ),
        "item_form": ItemForm(
            matters=selectors.awaiting_matters(meeting.unit) if can_manage else (), deputies=deputies
        ),
    }


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=|csrf[-_]?token["\']?\s*[:=]\s*)"[^"]*"', re.I)


def _same_page(response, template: str, context: dict[str, Any]) -> None:
    """The view's page is the template rendered with the old path's context (CSRF tokens aside)."""
    old = render_to_string(template, context, request=response.wsgi_request)
    new = response.content.decode()
    assert CSRF.sub(r"\1''", new) == CSRF.sub(r"\1''", old)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


def _two_agendas(client, qw, viewer, django_assert_num_queries, *, sealed: bool, page: str):
    """`viewer` opens `page` of a 2-item meeting, then of a 10-item one, which must read no more queries.
    Returns that query count, the larger meeting's response, the viewer and the larger meeting."""
    small, large = agenda(qw, 2, sealed=sealed), agenda(qw, 10, sealed=sealed)
    person = getattr(qw, viewer)
    login(client, person)
    baseline = _count(client, f"/meetings/{small.pk}/{page}")
    with django_assert_num_queries(baseline):
        response = client.get(f"/meetings/{large.pk}/{page}")
    return baseline, response, person, large


@pytest.mark.parametrize("viewer", VIEWERS)
def test_minutes_read_a_fixed_number_of_queries_and_show_what_they_showed(
    client, qw, viewer, django_assert_num_queries
):
    baseline, response, person, large = _two_agendas(
        client, qw, viewer, django_assert_num_queries, sealed=True, page="minutes/"
    )
    assert baseline <= 15  # session, person, meeting, can_view, 7 for the agenda, corrections, the nav
    _same_page(response, "meetings/minutes.html", _old_minutes(large, person))
    page = response.content.decode()
    assert page.count('data-testid="minutes-decision"') == 10 and "第1项理由笔误，更正" in page
    assert "王0实绩突出" in page and f"{qw.principal.name}：同意" in page and "回避" in page


@pytest.mark.parametrize("viewer", VIEWERS)
def test_room_reads_a_fixed_number_of_queries_and_shows_what_it_showed(
    client, qw, viewer, django_assert_num_queries
):
    put("meetings", unit=qw.unit, values={"blind_statements": True})  # R-MTG-3: rows hidden per viewer
    baseline, response, person, large = _two_agendas(
        client, qw, viewer, django_assert_num_queries, sealed=False, page=""
    )
    assert baseline <= 21  # the rules of the page (view, manage, close, recommend, observe) ask once each
    _same_page(response, "meetings/room.html", _old_room(large, person))
    page = response.content.decode()
    assert page.count('data-testid="statements"') == 10 and large.blind
    item = large.items.get(number=1)  # the htmx-polled block of one item, as before
    item.meeting = large
    fragment = client.get(f"/meetings/{large.pk}/items/{item.pk}/", HTTP_HX_REQUEST="true")
    _same_page(fragment, "meetings/room.html#item", _old_item_context(item, person))
    if viewer == "principal":  # R-MTG-3: the principal waits on every item; the chair may defer
        assert page.count('data-testid="statement-locked"') == 10 and page.count("defer-form") == 10
    if viewer == "admin":  # the commission sees, and has nothing to state or recommend
        assert "statement-form" not in page and "statement-locked" not in page


def test_sealed_room_is_the_same_page_as_before(client, qw, django_assert_num_queries):
    small, large = agenda(qw, 2, sealed=True), agenda(qw, 10, sealed=True)
    login(client, qw.deputy2)
    baseline = _count(client, f"/meetings/{small.pk}/")
    with django_assert_num_queries(baseline):
        response = client.get(f"/meetings/{large.pk}/")
    _same_page(response, "meetings/room.html", _old_room(large, qw.deputy2))


def test_meeting_state_is_item_state_for_every_item(qw):
    meeting = agenda(qw, 4, sealed=False)
    facts = selectors.meeting_state(meeting)
    assert [i.number for i in facts.items] == [1, 2, 3, 4]
    for item in facts.items:
        got, want = facts.states[item.pk], selectors.item_state(item)
        for name in ("present", "inspector_present", "recused", "late", "attending", "principals"):
            assert getattr(got, name) == getattr(want, name), name
        assert [p.pk for p in got.members] == [p.pk for p in want.members]
        assert got.principal == want.principal == qw.principal
        assert [s.pk for s in got.statements] == [s.pk for s in want.statements]
        assert got.matter == want.matter and got.facts() == want.facts()
    assert facts.deputies == [qw.deputy, qw.deputy2, qw.deputy3]
