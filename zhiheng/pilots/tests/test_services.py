"""The programme's use cases and every rule an insider might try to bend (R-PIL-1): units fixed once formal
implementation begins, phases neither back-dated, reordered nor moved once begun, the rollout after formal
implementation and once, visits that happened, to pilot units. Each refusal names R-PIL-1 and writes nothing."""

from __future__ import annotations

import json

import pytest

from zhiheng.core.errors import DomainError
from zhiheng.ledger.models import Entry
from zhiheng.org.tests.factories import UnitFactory
from zhiheng.pilots import selectors, services
from zhiheng.pilots.errors import (
    BackDated,
    BadUnits,
    BadVisit,
    NotTheCommission,
    PhaseBegun,
    PhasesOutOfOrder,
    RolledOut,
    RolloutTooEarly,
    UnitsFixed,
)
from zhiheng.pilots.models import Member, RolloutUnit
from zhiheng.powers import selectors as powers
from zhiheng.powers import services as powers_services

from .conftest import DAY, day, later, phased

pytestmark = pytest.mark.django_db


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


def refused(error: type[DomainError], call, *args, **kw) -> DomainError:
    entries = Entry.objects.count()
    with pytest.raises(error) as caught:
        call(*args, **kw)
    assert caught.value.rule == "R-PIL-1"
    assert Entry.objects.count() == entries
    return caught.value


def test_the_commission_sets_up_a_pilot_and_each_step_is_ledgered(pw):
    entry = Entry.objects.filter(event_type="pilots.programme_created").get()
    assert payload(entry) == {
        "district": "testdistrict",
        "programme": pw.programme.pk,
        "name": pw.programme.name,
        "units": ["t-unit"],
    }
    assert (entry.district, entry.subject) == ("testdistrict", f"pilot:{pw.programme.pk}")
    phased(pw)
    assert pw.programme.phase_dates() == {"动员教育": day(1), "制定制度": day(10), "正式实施": day(20)}
    assert Entry.objects.filter(event_type="pilots.phase_set").count() == 3


def test_only_the_districts_commission_configures(pw):
    for person in (pw.principal, pw.inspector, pw.other_admin, pw.outsider):
        refused(NotTheCommission, services.create_programme, by=person, district=pw.district, name="另一个")
        refused(NotTheCommission, services.add_unit, by=person, programme=pw.programme, unit=pw.other_unit)
        refused(
            NotTheCommission,
            services.set_phase,
            by=person,
            programme=pw.programme,
            name="动员教育",
            start=DAY,
        )


def test_units_change_until_formal_implementation_begins_then_never(pw):
    phased(pw)
    services.add_unit(by=pw.admin, programme=pw.programme, unit=pw.other_unit)
    services.remove_unit(by=pw.admin, programme=pw.programme, unit=pw.other_unit)
    with later(19):  # the day before formal implementation: still open
        services.add_unit(by=pw.admin, programme=pw.programme, unit=pw.other_unit)
    with later(20):
        refused(UnitsFixed, services.remove_unit, by=pw.admin, programme=pw.programme, unit=pw.other_unit)
        refused(UnitsFixed, services.add_unit, by=pw.admin, programme=pw.programme, unit=pw.third)
    assert set(selectors.pilot_unit_ids([pw.unit.pk, pw.other_unit.pk, pw.third.pk])) == {
        pw.unit.pk,
        pw.other_unit.pk,
    }


def test_a_pilot_is_never_every_unit_nor_empty_and_a_unit_runs_one_pilot(pw):
    services.add_unit(by=pw.admin, programme=pw.programme, unit=pw.other_unit)
    refused(BadUnits, services.add_unit, by=pw.admin, programme=pw.programme, unit=pw.third)
    refused(
        BadUnits,
        services.create_programme,
        by=pw.admin,
        district=pw.district,
        name="全区",
        units=[pw.third, pw.unit],
    )
    services.remove_unit(by=pw.admin, programme=pw.programme, unit=pw.other_unit)
    refused(BadUnits, services.remove_unit, by=pw.admin, programme=pw.programme, unit=pw.unit)
    far = pw.far_district
    refused(
        BadUnits,
        services.add_unit,
        by=pw.admin,
        programme=pw.programme,
        unit=UnitFactory(code="f-x", district=far),
    )


def test_phases_are_not_back_dated_reordered_or_moved_once_begun(pw):
    refused(
        BackDated, services.set_phase, by=pw.admin, programme=pw.programme, name="动员教育", start=day(-1)
    )
    services.set_phase(by=pw.admin, programme=pw.programme, name="正式实施", start=day(20))
    refused(
        PhasesOutOfOrder,
        services.set_phase,
        by=pw.admin,
        programme=pw.programme,
        name="制定制度",
        start=day(20),
    )
    refused(
        PhasesOutOfOrder,
        services.set_phase,
        by=pw.admin,
        programme=pw.programme,
        name="动员教育",
        start=day(30),
    )
    services.set_phase(by=pw.admin, programme=pw.programme, name="动员教育", start=day(1))
    services.set_phase(
        by=pw.admin, programme=pw.programme, name="正式实施", start=day(25)
    )  # not begun: moves
    with later(1):
        refused(
            PhaseBegun, services.set_phase, by=pw.admin, programme=pw.programme, name="动员教育", start=day(2)
        )
        # a phase before one that has begun cannot be slipped in either
        services.set_phase(by=pw.admin, programme=pw.programme, name="制定制度", start=day(5))
    assert pw.programme.phase_dates() == {"动员教育": day(1), "制定制度": day(5), "正式实施": day(25)}


def test_the_rollout_follows_formal_implementation_once_and_fixes_everything(pw):
    refused(
        RolloutTooEarly, services.roll_out, by=pw.admin, programme=pw.programme, on=day(30)
    )  # no phase yet
    phased(pw)
    refused(RolloutTooEarly, services.roll_out, by=pw.admin, programme=pw.programme, on=day(20))
    refused(RolloutTooEarly, services.roll_out, by=pw.admin, programme=pw.programme, on=day(15))
    with later(40):
        refused(BackDated, services.roll_out, by=pw.admin, programme=pw.programme, on=day(39))
        services.roll_out(by=pw.admin, programme=pw.programme, on=day(60))
        refused(RolledOut, services.roll_out, by=pw.admin, programme=pw.programme, on=day(70))
        refused(
            RolledOut, services.set_phase, by=pw.admin, programme=pw.programme, name="正式实施", start=day(50)
        )
    # The remaining units follow the pilot units' template from the rollout date (powers' own entry).
    for unit in (pw.other_unit, pw.third):
        assert powers.policy_on(unit, day(59)) is None
        assert powers.policy_on(unit, day(60)).template.code == "jiangbei-3x"
    assert set(RolloutUnit.objects.values_list("unit__code", flat=True)) == {"t-other", "t-third"}
    entry = Entry.objects.get(event_type="pilots.rolled_out")
    assert payload(entry)["on"] == str(day(60)) and payload(entry)["policy_set"] == ["t-other", "t-third"]
    assert Entry.objects.filter(event_type="powers.policy_set", unit__in=["t-other", "t-third"]).count() == 2


def test_a_rollout_keeps_a_policy_already_in_force(pw):
    phased(pw)
    with later(30):
        nanchuan = powers.latest_template("nanchuan-5")
        powers_services.set_unit_policy(by=None, unit=pw.third, template=nanchuan, in_force_from=day(30))
        services.roll_out(by=pw.admin, programme=pw.programme, on=day(31))
    assert powers.policy_on(pw.third, day(31)).template.code == "nanchuan-5"
    assert RolloutUnit.objects.get(unit=pw.third).policy is None
    assert RolloutUnit.objects.get(unit=pw.other_unit).policy.in_force_from == day(31)


def test_visits_happened_after_the_pilot_began_to_its_units(pw):
    phased(pw)
    call = services.record_visit
    common = {"by": pw.admin, "programme": pw.programme, "visitors": "区纪委督查组", "findings": "制度已建立"}
    with later(15):
        refused(BadVisit, call, on=day(16), units=[pw.unit], **common)  # not yet happened
        refused(BadVisit, call, on=day(0), units=[pw.unit], **common)  # before the pilot began
        refused(BadVisit, call, on=day(15), units=[pw.other_unit], **common)  # not a pilot unit
        refused(BadVisit, call, on=day(15), units=[pw.unit], **{**common, "findings": " "})
        refused(NotTheCommission, call, on=day(15), units=[pw.unit], **{**common, "by": pw.inspector})
        visit = call(on=day(15), units=[pw.unit], **common)
    entry = Entry.objects.get(event_type="pilots.visit_recorded")
    assert payload(entry)["content"] == visit.content_digest() and "findings" not in payload(entry)
    assert payload(entry)["units"] == ["t-unit"]


def test_pilot_units_are_the_members_not_the_rolled_in(pw):
    phased(pw)
    with later(30):
        services.roll_out(by=pw.admin, programme=pw.programme, on=day(30))
    ids = [pw.unit.pk, pw.other_unit.pk, pw.third.pk]
    assert selectors.pilot_unit_ids(ids) == {pw.unit.pk}
    assert Member.objects.count() == 1
