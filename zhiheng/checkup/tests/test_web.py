"""The check-up's pages per persona: the queue for the commission, a candidate's page and an opened
declaration for the candidate and their commission (404 to anyone else), the commission's forms, and the
opened declaration's read in the ledger."""

from __future__ import annotations

import pytest

from zhiheng.checkup import services
from zhiheng.checkup.models import ExamSitting, Opinion
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import PASSWORD

from .test_checks import clean_items

PERSONAS = ("principal", "deputy", "staff", "admin", "other_admin", "outsider")
SEE = {"deputy", "admin"}


@pytest.fixture
def declared(world):
    world.declaration = services.file_declaration(
        by=world.deputy, person=world.deputy, year=2025, items=clean_items(salary="x")
    )
    return world


def _as(client, person):
    client.login(username=person.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_per_persona(client, declared, persona):
    w = declared
    c = _as(client, getattr(w, persona))
    person_page = c.get(f"/checkup/people/{w.deputy.username}/")
    opened = c.get(f"/checkup/people/{w.deputy.username}/declarations/{w.declaration.pk}/")
    assert person_page.status_code == opened.status_code == (200 if persona in SEE else 404)
    index = c.get("/checkup/").content.decode()
    assert (f'data-testid="queue-{w.deputy.username}"' in index) == (persona == "admin")
    if persona in SEE:
        page = person_page.content.decode()
        assert "尚未齐备" in page and ("登记考试成绩" in page) == (persona == "admin")
        assert "数额或代码有误" in opened.content.decode()  # the arithmetic check, in Chinese
    reads = Entry.objects.filter(event_type="checkup.declaration_read").count()
    assert reads == (1 if persona in SEE else 0)


def test_the_commissions_forms(client, declared):
    w = declared
    c = _as(client, w.admin)
    base = f"/checkup/people/{w.deputy.username}/"
    assert c.post(base + "exams/", {"score": "88", "sat_on": "2026-05-01"}).status_code == 302
    assert c.post(base + "opinions/", {"status": "no_objection", "reasons": "无"}).status_code == 302
    assert ExamSitting.objects.get().passed and Opinion.objects.get().status == "no_objection"
    assert c.post(base + "exams/", {"score": "200", "sat_on": "2026-05-01"}).status_code == 422
    candidate = _as(client, w.deputy)
    assert candidate.post(base + "opinions/", {"status": "objection"}).status_code == 403
    assert Opinion.objects.count() == 1
