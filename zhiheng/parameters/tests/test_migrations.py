"""Migration parameters 0002 carries MatterRules and MeetingRules rows over to dated versions: each ledger
entry that set them becomes its version, and a row the ledger never saw adds one; then the tables go."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhiheng import ledger, parameters
from zhiheng.core import clock
from zhiheng.parameters.models import ParameterVersion

BEFORE = [
    ("parameters", "0001_initial"),
    ("matters", "0002_frozen_restriction_and_major_rules"),
    ("meetings", "0006_sealed_rows_guard"),
]
DAY1, DAY2 = dt.date(2026, 3, 2), dt.date(2026, 3, 5)
MEETING_RULES = {
    "quorum": {"num": 2, "den": 3, "strict": False},
    "personnel_quorum": {"num": 3, "den": 4, "strict": False},
    "blind_statements": True,
    "record_window": {"past_days": 7, "future_days": 30},
}


@pytest.mark.django_db(transaction=True)
def test_rules_rows_and_their_ledger_history_become_versions(world):
    executor = MigrationExecutor(connection)
    try:
        _carry_over(executor, world)
    finally:
        # Leave the schema at the latest migrations: later tests on this worker share the database.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def _old_rules_entry(w, app: str, scope: str, **change):
    """The ledger entry the old `app` rules service wrote when an admin changed the district's or the
    unit's rules."""
    where = {"district": w.district.code} if scope == "district" else {"unit": w.unit.code}
    return ledger.record(
        f"{app}.rules_set",
        by=w.admin,
        **where,
        subject=f"{app}-rules:{scope}:{where[scope]}",
        payload={"scope": scope, "district": w.district.code, **where, **change},
    )


def _carry_over(executor, w):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    MatterRules, MeetingRules = (
        old.get_model("matters", "MatterRules"),
        old.get_model("meetings", "MeetingRules"),
    )
    with clock.frozen(clock.at(DAY1)):
        # The district's default, set through the old service: a row and its ledger entry.
        MatterRules.objects.create(district_id=w.district.pk, collective_threshold="30000.00")
        set_district = _old_rules_entry(
            w,
            "matter",
            "district",
            before={},
            after={"collective_threshold": "30000.00", "cosign_threshold": None},
            changed=["collective_threshold"],
        )
        # A unit's blind mode, set and later cleared through the old service (no row left).
        set_unit = _old_rules_entry(
            w, "meeting", "unit", before=None, after=MEETING_RULES, effective_from=DAY1.isoformat()
        )
    with clock.frozen(clock.at(DAY2)):
        _old_rules_entry(
            w, "meeting", "unit", before=MEETING_RULES, after=None, effective_from=DAY2.isoformat()
        )
    # Rows the ledger never saw (written directly, as fixtures and older code did).
    MatterRules.objects.create(unit_id=w.unit.pk, cosign_threshold="2000.00", legal_officer_id=w.staff.pk)
    MeetingRules.objects.create(district_id=w.district.pk, blind_statements=False, quorum_num=2, quorum_den=3)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    district = ParameterVersion.objects.get(namespace="matters", unit=None)
    assert (district.ledger_index, district.set_by_id, district.in_force_from) == (
        set_district.index,
        w.admin.pk,
        DAY1,
    )
    # Today: the rows written without an entry are in force from their last change (the real date).
    matters = parameters.effective("matters", w.unit)
    assert (matters.values["collective_threshold"], matters.sources["collective_threshold"]) == (
        "30000.00",
        "district",
    )
    assert (matters.values["cosign_threshold"], matters.sources["cosign_threshold"]) == ("2000.00", "unit")
    assert matters.values["legal_officer"] == w.staff.pk
    meetings = parameters.effective("meetings", w.unit)
    assert meetings.source == "district" and meetings.values["blind_statements"] is False
    assert meetings.values["quorum"] == {"num": 2, "den": 3, "strict": True}
    on_day1 = parameters.effective("meetings", w.unit, day=DAY1)
    assert on_day1.source == "unit" and on_day1.values == MEETING_RULES
    unit_versions = ParameterVersion.objects.filter(namespace="meetings", unit=w.unit).order_by("pk")
    assert [(v.in_force_from, v.inherits, v.ledger_index is not None) for v in unit_versions] == [
        (DAY1, False, True),
        (DAY2, True, True),
    ]
    assert unit_versions[0].ledger_index == set_unit.index
