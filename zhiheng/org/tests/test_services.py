"""R-ORG: terms of office, exactly one principal at any date, admin-only changes, all on the ledger."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from zhiheng.core.errors import Conflict, Forbidden
from zhiheng.ledger.models import Entry
from zhiheng.org import selectors, services
from zhiheng.org.models import Membership, Role
from zhiheng.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = dt.date


def test_admin_creates_a_unit_and_the_ledger_records_it(world):
    unit = services.create_unit(by=world.admin, district=world.district, code="t-new", name="新设局")
    assert unit.district == world.district
    entry = Entry.objects.get(subject="unit:t-new")
    assert entry.event_type == "org.unit_created"
    assert entry.actor == "t-admin"


@pytest.mark.parametrize("persona", ["principal", "deputy", "inspector", "staff", "outsider", "other_admin"])
def test_only_the_districts_admin_creates_units(world, persona):
    before = Entry.objects.count()
    with pytest.raises(Forbidden) as refusal:
        services.create_unit(by=getattr(world, persona), district=world.district, code="t-x", name="越权局")
    assert refusal.value.rule == "R-ORG-1"
    assert Entry.objects.count() == before
    assert not world.district.units.filter(code="t-x").exists()


def test_duplicate_unit_code_is_a_conflict(world):
    with pytest.raises(Conflict):
        services.create_unit(by=world.admin, district=world.district, code="t-unit", name="重名局")


def test_second_overlapping_principal_is_refused_with_r_org_2(world):
    newcomer = PersonFactory(username="t-new-boss")
    before = Entry.objects.count()
    with pytest.raises(Conflict) as refusal:
        services.appoint(
            by=world.admin, unit=world.unit, person=newcomer, role=Role.PRINCIPAL, start=D(2013, 1, 1)
        )
    assert refusal.value.rule == "R-ORG-2"
    assert Entry.objects.count() == before


def test_database_itself_refuses_two_principals_on_one_day(world):
    """Even code that skips the service cannot create a second principal for an overlapping period."""
    world.unit.memberships.filter(role=Role.PRINCIPAL).update(end=D(2013, 12, 31))
    newcomer = PersonFactory(username="t-new-boss")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=newcomer, unit=world.unit, role=Role.PRINCIPAL, start=D(2013, 6, 1))
    # The day after the old term ends is free.
    Membership.objects.create(person=newcomer, unit=world.unit, role=Role.PRINCIPAL, start=D(2014, 1, 1))


def test_change_principal_is_a_dated_handover(world):
    successor = world.deputy2
    services.change_principal(
        by=world.admin, unit=world.unit, person=successor, on=D(2015, 3, 1), title="局长"
    )
    assert selectors.principal_of(world.unit, D(2015, 2, 28)) == world.principal
    assert selectors.principal_of(world.unit, D(2015, 3, 1)) == successor
    # The successor's deputy term ended the day before; they are no longer a deputy.
    assert selectors.roles_of(successor, world.unit, D(2015, 3, 1)) == {Role.PRINCIPAL}
    assert selectors.roles_of(successor, world.unit, D(2015, 2, 28)) == {Role.DEPUTY}
    assert Entry.objects.filter(event_type="org.principal_changed", unit="t-unit").count() == 1


def test_handover_must_be_after_the_current_term_started(world):
    with pytest.raises(Conflict) as refusal:
        services.change_principal(by=world.admin, unit=world.unit, person=world.deputy2, on=D(2012, 1, 1))
    assert refusal.value.rule == "R-ORG-2"


def test_there_is_exactly_one_principal_on_every_day_across_handovers(world):
    services.change_principal(by=world.admin, unit=world.unit, person=world.deputy2, on=D(2015, 3, 1))
    services.change_principal(by=world.admin, unit=world.unit, person=world.deputy3, on=D(2018, 7, 15))
    for day in (D(2012, 1, 1), D(2015, 2, 28), D(2015, 3, 1), D(2018, 7, 14), D(2018, 7, 15), D(2030, 1, 1)):
        principals = selectors.memberships_on(world.unit, day).filter(role=Role.PRINCIPAL)
        assert principals.count() == 1, day


def test_ending_a_term_removes_the_person_from_the_team_afterwards(world):
    membership = world.unit.memberships.get(person=world.deputy3)
    services.end_term(by=world.admin, membership=membership, end=D(2014, 6, 30))
    assert selectors.is_team_member(world.deputy3, world.unit, D(2014, 6, 30))
    assert not selectors.is_team_member(world.deputy3, world.unit, D(2014, 7, 1))


def test_same_person_cannot_hold_two_overlapping_terms_in_one_unit(world):
    with pytest.raises(Conflict):
        services.appoint(
            by=world.admin, unit=world.unit, person=world.staff, role=Role.DEPUTY, start=D(2013, 1, 1)
        )


def test_superuser_cannot_be_given_a_governance_role(world):
    operator = PersonFactory(username="t-root", is_superuser=True)
    with pytest.raises(Forbidden):
        services.grant_district_role(
            by=world.admin,
            district=world.district,
            person=operator,
            role="commission_admin",
            start=D(2013, 1, 1),
        )
