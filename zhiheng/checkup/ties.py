"""RF3 and R-MTG-9 at the moment of decision: does what a person declared tie them to a counterparty or a
candidate? The matters and meetings apps ask through their seams (matters.conflicts, meetings.eligibility);
this module answers them.

The declaration is opened here by the system, not read by a person: nothing of it is shown except the
reason given to the declarant when their own approval is refused, so no read is logged (services.reading
logs every read by a person). One query and one unseal per person: a matcher is built once and asked for
every counterparty or candidate name of a request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zhiheng.accounts.models import Person

from . import checks, sealing
from .models import Declaration

Matcher = Callable[[str], list[str]]


def matchers_for(people: Sequence[Person]) -> dict[int, Matcher]:
    """For each person with a declaration, the ties their latest one gives to any name; one query."""
    latest: dict[int, Declaration] = {}
    for declaration in Declaration.objects.filter(person__in=[p.pk for p in people]).order_by(
        "person", "-year", "-version"
    ):
        latest.setdefault(declaration.person_id, declaration)
    return {pk: _matcher(sealing.unseal(d.sealed_items)) for pk, d in latest.items()}


def _matcher(items: dict[str, Any]) -> Matcher:
    return lambda name: checks.declared_ties(items, name)
