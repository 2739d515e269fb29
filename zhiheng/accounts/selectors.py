"""Reads: people by username, a person's API tokens and their recent sign-in attempts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from zhiheng.core import clock
from zhiheng.core.errors import Invalid, NotFound

from .models import ApiToken, LoginAttempt, Person

SHOWN_FOR = dt.timedelta(days=30)  # ended tokens stay on the page this long, for the record


def list_tokens_of(person: Person) -> QuerySet[ApiToken]:
    """The person's tokens issued in the last SHOWN_FOR, live or not, newest first."""
    return ApiToken.objects.filter(person=person, created_at__gte=clock.now() - SHOWN_FOR).order_by(
        "-created_at", "-pk"
    )


def list_recent_attempts_for(person: Person, limit: int = 10) -> QuerySet[LoginAttempt]:
    """The latest sign-in attempts made with this person's username (successes and failures), so the
    owner notices guessing they did not do."""
    return LoginAttempt.objects.filter(username=person.username).order_by("-at", "-pk")[:limit]


# --- people by username: the one lookup (issue #11) ----------------------------------------------
# Every interface and service names people by username. A deactivated account is nobody: it cannot be
# appointed, present at a meeting, recommended or named as a legal officer, so no lookup sees it.


def find_person(username: str | None) -> Person | None:
    """The active person with this username, or None."""
    if not username:
        return None
    return Person.objects.filter(username=username, is_active=True).first()


def get_person(username: str | None) -> Person:
    """The active person with this username; NotFound (404) otherwise."""
    person = find_person(username)
    if person is None:
        raise NotFound()
    return person


def person_in_field(username: str | None, field: str) -> Person | None:
    """The active person an input field names; None for an empty field; Invalid (422) naming the field
    for a username nobody active has."""
    if not username:
        return None
    person = find_person(username)
    if person is None:
        raise Invalid("validation", "人员不存在", {"fields": {field: [f"未知用户名：{username}"]}})
    return person


def people_named(usernames: Iterable[str]) -> dict[str, Person]:
    """The active people among these usernames, by username (unknown names are simply absent)."""
    names = {u for u in usernames if u}
    return {p.username: p for p in Person.objects.filter(username__in=names, is_active=True)}
