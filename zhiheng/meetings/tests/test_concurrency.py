"""R-MTG-3 under concurrency (PostgreSQL): the principal racing the last deputy never states first.

Statements lock the meeting row (SELECT ... FOR UPDATE), so the order check and the write of one
statement are atomic with respect to every other statement of the meeting.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhiheng.core.errors import DomainError
from zhiheng.meetings import services
from zhiheng.meetings.models import Statement

from .conftest import attend_all, convene

TRIALS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_principal_never_overtakes_the_last_deputy(mw):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set ZHIHENG_TEST_DATABASE_URL)")
    for _ in range(TRIALS):
        meeting = convene(mw, items=[{"title": "并发议题"}])
        attend_all(mw, meeting, present=[mw.principal, mw.deputy])
        item = meeting.items.get()
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def speak(person, item=item, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait()
                services.state(by=person, item=item, position="agree", reason="并发")
                outcomes[person.username] = "ok"
            except DomainError as err:
                outcomes[person.username] = err.rule
            finally:
                connection.close()

        threads = [threading.Thread(target=speak, args=(p,)) for p in (mw.principal, mw.deputy)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes[mw.deputy.username] == "ok"
        order = list(
            Statement.objects.filter(item=item).order_by("seq").values_list("person__username", flat=True)
        )
        if outcomes[mw.principal.username] == "ok":
            assert order == [mw.deputy.username, mw.principal.username]
        else:
            assert outcomes[mw.principal.username] == "R-MTG-3" and order == [mw.deputy.username]
