"""Persona matrix (SPEC §1, R-PIL-1): who sees a programme, and for every persona `actions_for` agrees with
what the services do — the commission configures, the pilot unit's principal and inspector only read, everyone
else does not know the programme exists."""

from __future__ import annotations

import pytest

from zhiheng.core.errors import DomainError, NotFound
from zhiheng.ledger.models import Entry
from zhiheng.pilots import rules, selectors, services

from .conftest import day, later, phased

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "other_admin",
    "principal",
    "inspector",
    "deputy",
    "staff",
    "outsider",
    "other_principal",
]
READERS = {"admin", "principal", "inspector"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_programme(pw, persona):
    person = getattr(pw, persona)
    assert rules.can_view(person, pw.programme) == (persona in READERS)
    listed = list(selectors.list_programmes_for(person, pw.district))
    assert listed == ([pw.programme] if persona in READERS else [])
    if persona in READERS:
        assert selectors.get_programme_for(person, pw.programme.pk) == pw.programme
    else:
        with pytest.raises(NotFound):
            selectors.get_programme_for(person, pw.programme.pk)


def _attempt(call) -> bool:
    entries = Entry.objects.count()
    try:
        call()
    except DomainError:
        assert Entry.objects.count() == entries
        return False
    return True


@pytest.mark.parametrize("persona", PERSONAS)
def test_actions_agree_with_the_services(pw, persona):
    person = getattr(pw, persona)
    programme = pw.programme
    actions = rules.actions_for(person, programme)
    assert actions["roll_out"] is False  # no formal implementation yet, for anyone
    is_admin = persona == "admin"
    assert (
        _attempt(lambda: services.add_unit(by=person, programme=programme, unit=pw.other_unit))
        == (actions["change_units"])
        == is_admin
    )
    assert (
        _attempt(lambda: services.set_phase(by=person, programme=programme, name="动员教育", start=day(1)))
        == actions["set_phase"]
        == is_admin
    )
    phased(pw)
    with later(25):
        actions = rules.actions_for(person, programme)
        assert actions["change_units"] is False  # formal implementation began on day 20
        assert (
            _attempt(
                lambda: services.record_visit(
                    by=person,
                    programme=programme,
                    on=day(25),
                    units=[pw.unit],
                    visitors="督查组",
                    findings="好",
                )
            )
            == actions["record_visit"]
            == is_admin
        )
        assert (
            _attempt(lambda: services.roll_out(by=person, programme=programme, on=day(30)))
            == (actions["roll_out"])
            == is_admin
        )
        assert not any(rules.actions_for(person, programme).values()) or persona == "admin"


def test_after_the_rollout_only_visits_remain(pw):
    phased(pw)
    with later(30):
        rolled = services.roll_out(by=pw.admin, programme=pw.programme, on=day(30))
        assert rules.actions_for(pw.admin, rolled) == {
            "change_units": False,
            "set_phase": False,
            "record_visit": True,
            "roll_out": False,
        }


def test_a_rolled_in_units_principal_sees_the_programme_and_only_visits_to_their_unit(pw):
    phased(pw)
    with later(25):
        services.record_visit(
            by=pw.admin, programme=pw.programme, on=day(25), units=[pw.unit], visitors="督查组", findings="好"
        )
        assert not rules.can_view(pw.other_principal, pw.programme)
        services.roll_out(by=pw.admin, programme=pw.programme, on=day(30))
    assert rules.can_view(pw.other_principal, pw.programme)
    assert list(selectors.visits_for(pw.other_principal, pw.programme)) == []
    assert selectors.visits_for(pw.principal, pw.programme).count() == 1
