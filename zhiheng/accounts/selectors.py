"""Reads: a person's API tokens and their recent sign-in attempts (the "my tokens" page)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from zhiheng.core import clock

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
