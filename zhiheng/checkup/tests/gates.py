"""For tests of other apps: a candidate whose three gates (R-GATE-1/2/4) are in order, or whose declaration
names given family interests — filed through the services, as the people concerned would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhiheng.accounts.models import Person
from zhiheng.checkup import services
from zhiheng.core import clock

from .test_checks import clean_items


def declare(person: Person, **items: Any) -> None:
    """The person files this year's declaration: a clean one, with `items` replacing its defaults."""
    services.file_declaration(by=person, person=person, year=clock.today().year, items=clean_items(**items))


def put_in_order(person: Person, **items: Any) -> None:
    """A passed exam, this year's declaration and the commission's 无异议 (recorded by the system)."""
    services.record_exam(by=None, person=person, score=Decimal("88"), sat_on=clock.today())
    declare(person, **items)
    services.issue_opinion(by=None, person=person, status="no_objection", reasons="经核查，无异议。")
