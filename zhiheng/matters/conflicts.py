"""The seam through which the deciding person's declared interests reach a decision (RF3 at the moment of
approval, issue 16): the matters app holds no declarations, so the app that does (checkup, a layer above)
registers a matcher factory here when it starts. Without one, nobody has declared ties.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from zhiheng.accounts.models import Person

Matcher = Callable[[str], list[str]]
# Given people, a matcher for each (by pk) — one read for all of them (a meeting's members).
MatcherFactory = Callable[[Sequence[Person]], dict[int, Matcher]]

_factories: list[MatcherFactory] = []


def register(factory: MatcherFactory) -> None:
    """Called by the app that keeps declarations, once (AppConfig.ready)."""
    if factory not in _factories:
        _factories.append(factory)


def matchers_for(people: Sequence[Person]) -> dict[int, Matcher]:
    """For each person (by pk), a function from a counterparty's or candidate's name to the reasons the
    person is tied to it (empty when they declared nothing that matches)."""
    found = [factory(people) for factory in _factories]

    def combined(pk: int) -> Matcher:
        mine = [by_person[pk] for by_person in found if pk in by_person]
        return lambda name: [reason for match in mine for reason in match(name)]

    return {person.pk: combined(person.pk) for person in people}


def matcher_for(person: Person) -> Matcher:
    return matchers_for([person])[person.pk]
