"""Pages of the meeting room 会议室 (htmx): a unit's meeting history, the room with agenda, attendance and
each item's statements in speaking order, the principal's control locked until everyone else has
spoken (R-MTG-3), the close, and the printable sealed minutes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiheng.accounts.http import PersonRequest
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import find_person, people_named
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.meetings import rules, selectors, services
from zhiheng.meetings.errors import LateForItem, RecommendationsMissing, StatementLocked
from zhiheng.meetings.models import Item, Meeting, MeetingState
from zhiheng.org import selectors as org
from zhiheng.org.models import Role
from zhiheng.web.htmx import act, refuse_invalid_form

from .forms import AttendanceForm, ItemForm, MeetingForm, RecommendationForm, StatementForm


def _deputies(meeting: Meeting) -> list[Person]:
    return selectors.holding(selectors.voting_terms(meeting.unit, meeting.date), Role.DEPUTY)


@login_required
def unit_meetings(request: PersonRequest, code: str) -> HttpResponse:
    unit = org.get_unit_for(request.user, code)
    page = Paginator(selectors.list_meetings_for(request.user, unit), 30).get_page(request.GET.get("page"))
    can_convene = rules.can_convene(request.user, unit, clock.today())
    form = MeetingForm(initial={"date": clock.today(), "kind": "party_committee"})
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            meeting = services.create_meeting(by=request.user, unit=unit, **form.cleaned_data)
            messages.success(request, _("会议已创建"))
            return redirect("meetings:room", meeting.pk)
    return render(
        request,
        "meetings/unit.html",
        {
            "unit": unit,
            "page": page,
            "form": form,
            "can_convene": can_convene,
            "awaiting": selectors.awaiting_matters(unit) if can_convene else [],
        },
    )


def _lock_shown(lock: StatementLocked | None) -> dict[str, Any] | None:
    """The locked control's text (translated for the page; the API gives the refusal itself)."""
    if lock is None:
        return None
    message = lock.message
    if isinstance(lock, LateForItem):
        message = _("您在本议题开始表态后才登记出席，不参与本议题表态")
    elif isinstance(lock, RecommendationsMissing):
        message = _("候选人须先有实名推荐：") + "、".join(lock.detail["candidates"])
    return {"rule": lock.rule, "message": message, "waiting": lock.detail.get("waiting_for", [])}


def item_context(
    item: Item, viewer: Person, st: selectors.ItemState | None = None, may_recommend: bool | None = None
) -> dict[str, Any]:
    """One item's block: statements as the viewer may see them, and the controls the rules allow the
    viewer (rules.statement_control / can_defer / can_recommend — the services' own checks).

    A page showing the whole agenda passes each item's state from `selectors.meeting_state` (candidates
    prefetched on the item) and `may_recommend`, the meeting's half of `rules.can_recommend`, asked once."""
    meeting = item.meeting
    if st is None:
        prefetch_related_objects([item], selectors.candidates_prefetch())
        st = selectors.item_state(item)
    mine = next((s for s in st.statements if s.person_id == viewer.pk), None)
    may_state, lock = rules.statement_control(viewer, item, st)
    names = {p.username: p.name for p in st.members}
    candidates = list(item.candidates.all())
    if may_recommend is None:
        may_recommend = rules.recommend_refusal(viewer, meeting) is None
    return {
        "item": item,
        "meeting": meeting,
        "rows": selectors.statements_visible_to(item, viewer, st.statements),
        "waiting": [] if item.deferred_reason else [names.get(u, u) for u in sorted(st.waiting_for)],
        "late": [names.get(u, u) for u in sorted(st.late)],
        "may_defer": rules.can_defer(viewer, item, st),
        "recused": {names.get(u, u): r for u, r in st.recused.items()},
        "mine": mine,
        # the statement block: the form when the viewer may state, the locked control when they wait
        "may_state": may_state or lock is not None,
        "lock": _lock_shown(lock),
        "is_principal": st.principal is not None and st.principal.pk == viewer.pk,
        "candidates": candidates,
        "statement_form": StatementForm(candidates=candidates),
        "recommend_form": RecommendationForm(candidates=candidates),
        "can_recommend": rules.can_recommend(viewer, item, may_recommend),
    }


def _agenda(facts: selectors.MeetingFacts, viewer: Person) -> list[dict[str, Any]]:
    """Every item's block from the meeting's facts: no query per item."""
    may_recommend = rules.recommend_refusal(viewer, facts.meeting) is None
    return [item_context(i, viewer, facts.states[i.pk], may_recommend) for i in facts.items]


@login_required
def room(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting, may_view = selectors.observable_meeting(request.user, meeting_id)
    if not may_view:
        # An inspection-group member of the district sees the open meeting's door, not its content,
        # until they register as an observer (R-SUP-2).
        return render(request, "meetings/observe.html", {"meeting": meeting})
    facts = selectors.meeting_state(meeting)
    can_manage = rules.can_manage(request.user, meeting)
    inspector = selectors.inspector_of(meeting.unit, meeting.date)
    present = [a.person.username for a in facts.attendance]
    return render(
        request,
        "meetings/room.html",
        {
            "meeting": meeting,
            "items": _agenda(facts, request.user),
            "attendance": facts.attendance,
            "can_manage": can_manage,
            "can_close": rules.can_close(request.user, meeting),
            "can_observe": rules.can_observe(request.user, meeting),
            "attendance_form": AttendanceForm(
                people=[*facts.members, *([inspector] if inspector else [])], initial={"present": present}
            ),
            "item_form": ItemForm(
                matters=selectors.awaiting_matters(meeting.unit) if can_manage else (),
                deputies=facts.deputies,
            ),
        },
    )


@login_required
def item_fragment(request: PersonRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """The htmx-polled block of one item: statements in order, who is still to speak, the controls."""
    item = selectors.get_item_for(request.user, meeting_id, item_id)
    return render(request, "meetings/room.html#item", item_context(item, request.user))


@login_required
@require_POST
def state(request: PersonRequest, meeting_id: int, item_id: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, meeting_id, item_id)
    form = StatementForm(request.POST, candidates=item.candidates.all())
    form.is_valid()  # every field is optional: the service decides what a clear statement is (R-MTG-4)
    data = form.cleaned_data
    services.state(
        by=request.user,
        item=item,
        position=data.get("position") or request.POST.get("position"),
        reason=data.get("reason"),
        candidate=data.get("candidate") or None,
    )
    item.meeting.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(request, "meetings/room.html#item", item_context(item, request.user))
    return redirect("meetings:room", meeting_id)


def _in_room(
    request: PersonRequest, meeting_id: int, call: Callable[[], object], success: str
) -> HttpResponse:
    """A button in the meeting room: one service call, then back to the room with what it did."""
    return act(request, call, success=success, then="meetings:room", meeting_id=meeting_id)


@login_required
@require_POST
def recommend(request: PersonRequest, meeting_id: int, item_id: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, meeting_id, item_id)
    return _in_room(
        request,
        meeting_id,
        lambda: services.recommend(
            by=request.user,
            item=item,
            candidate=request.POST.get("candidate"),
            reason=request.POST.get("reason"),
        ),
        _("实名推荐已记录"),
    )


@login_required
@require_POST
def add_item(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    form = ItemForm(
        request.POST, matters=selectors.awaiting_matters(meeting.unit), deputies=_deputies(meeting)
    )
    if not form.is_valid():
        return refuse_invalid_form(request, form)
    data = form.cleaned_data
    presenter = find_person(data["presenter"])
    candidates = [c.strip() for c in data["candidates"].splitlines() if c.strip()]
    return _in_room(
        request,
        meeting_id,
        lambda: services.add_item(
            by=request.user,
            meeting=meeting,
            title=data["title"],
            matter=data["matter"],
            candidates=candidates,
            presenter=presenter,
            personnel=data["personnel"],
        ),
        _("议题已列入议程"),
    )


@login_required
@require_POST
def attendance(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    present = list(people_named(request.POST.getlist("present")).values())
    observer_names = [u for u in re.split(r"[\s,，、]+", request.POST.get("observers", "")) if u]
    observers = list(people_named(observer_names).values())
    unknown = set(observer_names) - {p.username for p in observers}
    if unknown:  # the form's shape: names nobody bears (shown as a 422 refusal like any other)
        raise Invalid("validation", _("未知用户名：") + "、".join(sorted(unknown)), {})
    return _in_room(
        request,
        meeting_id,
        lambda: services.record_attendance(
            by=request.user, meeting=meeting, present=present, observers=observers
        ),
        _("出席情况已登记"),
    )


@login_required
@require_POST
def defer(request: PersonRequest, meeting_id: int, item_id: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, meeting_id, item_id)
    return _in_room(
        request,
        meeting_id,
        lambda: services.defer_item(by=request.user, item=item, reason=request.POST.get("reason", "")),
        _("已决定缓议：该事项退回待议事项"),
    )


@login_required
@require_POST
def close(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    return act(
        request,
        lambda: services.close_meeting(by=request.user, meeting=meeting),
        success=_("已闭会：系统已计票，纪要已封存入账本"),
        then="meetings:minutes",
        meeting_id=meeting.pk,
    )


def _minutes_item(item: Item, viewer: Person, st: selectors.ItemState) -> dict[str, Any]:
    """What the minutes show of an item (no controls)."""
    names = {p.username: p.name for p in st.members}
    return {
        "item": item,
        "rows": selectors.statements_visible_to(item, viewer, st.statements),
        "recused": {names.get(u, u): r for u, r in st.recused.items()},
        "candidates": list(item.candidates.all()),
    }


@login_required
def minutes(request: PersonRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    facts = selectors.meeting_state(meeting)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "items": [_minutes_item(i, request.user, facts.states[i.pk]) for i in facts.items],
            "attendance": facts.attendance,
            "sealed": meeting.state == MeetingState.SEALED,
            "corrections": meeting.corrections.select_related("by", "item"),
        },
    )
