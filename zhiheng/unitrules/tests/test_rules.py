"""The persona matrix of the unit rules (R-PIL-2): `can_*` agrees with the services — who may record, revise
and repeal a unit's rules; who reads them; who writes the district's library."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core.errors import Forbidden
from zhiheng.unitrules import rules, services

from .conftest import create, passed_item

pytestmark = pytest.mark.django_db

WRITERS = {"principal", "deputy", "deputy2"}
READERS = {"principal", "deputy", "deputy2", "inspector", "staff", "admin"}
EVERYONE = (
    "principal",
    "deputy",
    "deputy2",
    "inspector",
    "staff",
    "admin",
    "other_admin",
    "other_principal",
    "outsider",
)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_reads_and_who_records(uw, who):
    person = getattr(uw, who)
    assert rules.can_view_rules(person, uw.unit) == (who in READERS)
    assert rules.can_write(person, uw.unit) == (who in WRITERS)
    rule = create(uw)
    assert rules.actions_for(person, rule) == {"revise": who in WRITERS, "repeal": who in WRITERS}
    item = passed_item(uw, dt.date(2026, 2, 10))
    if who in WRITERS:
        services.revise_rule(by=person, rule=rule, body="新文本", meeting=item.meeting, item=item)
    else:
        with pytest.raises(Forbidden):
            services.revise_rule(by=person, rule=rule, body="新文本", meeting=item.meeting, item=item)
        assert rule.versions.count() == 1


@pytest.mark.parametrize("who", EVERYONE)
def test_the_library_is_the_commissions_and_read_across_the_district(uw, who):
    person = getattr(uw, who)
    assert rules.can_view_library(person, uw.district) == (who in READERS | {"other_principal"})
    assert rules.can_edit_library(person, uw.district) == (who == "admin")
    if who == "admin":
        services.create_model(by=person, district=uw.district, code="M-1", title="范本", body="正文")
    else:
        with pytest.raises(Forbidden):
            services.create_model(by=person, district=uw.district, code="M-1", title="范本", body="正文")


def test_a_repealed_rule_offers_no_action(uw):
    rule = create(uw)
    item = passed_item(uw, dt.date(2026, 2, 10))
    rule = services.repeal_rule(by=uw.principal, rule=rule, meeting=item.meeting, item=item)
    assert rules.actions_for(uw.principal, rule) == {"revise": False, "repeal": False}
