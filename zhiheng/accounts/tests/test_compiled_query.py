"""core.compiled, tried on the accounts tables (core imports no app): a query compiled once answers,
for every value, what the ORM query built for that value answers — and refuses queries whose SQL would
depend on the value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, QuerySet
from django.test.utils import CaptureQueriesContext

from zhiheng.accounts.models import ApiToken, Person
from zhiheng.accounts.tests.factories import PersonFactory
from zhiheng.core import clock
from zhiheng.core.compiled import CompiledQuery

pytestmark = pytest.mark.django_db


def tokens(person: int, day: dt.date) -> QuerySet[ApiToken]:
    later = ApiToken.objects.filter(person=OuterRef("person"), created_at__date__gte=day)
    return (
        ApiToken.objects.select_related("person")
        .filter(person_id=person)
        .annotate(recent=Exists(later))
        .order_by("pk")
    )


def names(name: str) -> QuerySet[Person]:
    return Person.objects.filter(username=name).order_by("pk")


def make_tokens() -> tuple[Person, Person]:
    a, b = PersonFactory(username="a"), PersonFactory(username="b")
    now = clock.now()
    for n, who in enumerate((a, a, b)):
        ApiToken.objects.create(
            person=who,
            digest=f"d{n}",
            created_at=now - dt.timedelta(days=n),
            authenticated_at=now,
            expires_at=now,
        )
    return a, b


def test_objects_match_the_orm_for_every_value():
    a, b = make_tokens()
    compiled: CompiledQuery[ApiToken] = CompiledQuery(tokens, person=int, day=dt.date)
    today = clock.today()
    for person in (a, b):
        for day in (today - dt.timedelta(days=5), today, today + dt.timedelta(days=1)):
            got = compiled.objects(person=person.pk, day=day)
            want = list(tokens(person.pk, day))
            assert [(t.pk, t.digest, t.person.username, t.recent) for t in got] == [
                (t.pk, t.digest, t.person.username, t.recent) for t in want
            ]
            assert all(isinstance(t.created_at, dt.datetime) and t.created_at.tzinfo for t in got)


def test_rows_match_values_list():
    make_tokens()
    compiled: CompiledQuery[Person] = CompiledQuery(
        lambda name: names(name).values_list("username", "is_active"), name=str
    )
    assert compiled.rows(name="a") == [("a", True)]
    assert compiled.rows(name="nobody") == []


def test_one_query_and_no_compiling_after_the_first():
    make_tokens()
    calls = []

    def build(name: str) -> QuerySet[Person]:
        calls.append(name)
        return names(name)

    compiled: CompiledQuery[Person] = CompiledQuery(build, name=str)
    from django.db import connection

    for name in ("a", "b", "a"):
        with CaptureQueriesContext(connection) as captured:
            assert [p.username for p in compiled.objects(name=name)] == [name]
        assert len(captured.captured_queries) == 1
    assert len(calls) == 1  # built once, with the sentinel


def test_refuses_a_value_the_sql_does_not_bind():
    compiled: CompiledQuery[Person] = CompiledQuery(lambda person: Person.objects.all(), person=int)
    with pytest.raises(ImproperlyConfigured):
        compiled.objects(person=1)


def test_refuses_a_value_of_the_wrong_type():
    compiled: CompiledQuery[Person] = CompiledQuery(
        lambda person: Person.objects.filter(pk=person), person=int
    )
    with pytest.raises(TypeError):
        compiled.objects(person="1")
