"""Migrations 0002/0003 carry Item.matter_ref (a loose integer) into the real foreign key Item.matter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhiheng.matters.models import Matter
from zhiheng.org.models import Unit
from zhiheng.powers.models import Category, Power

BEFORE = [("meetings", "0001_initial")]
AFTER = [("meetings", "0004_meeting_rules_snapshot")]


@pytest.mark.django_db(transaction=True)
def test_matter_ref_becomes_a_foreign_key(world):
    category = Category.objects.first() or Category.objects.create(code="finance", name="财务")
    power = Power.objects.create(unit=world.unit, code="finance", name="财务", category=category)
    matter = Matter.objects.create(
        unit=world.unit,
        power=power,
        kind="expenditure",
        title="购置执法车辆",
        submitted_by=world.staff,
        deputy=world.deputy,
    )
    executor = MigrationExecutor(connection)
    try:
        _carry_over(executor, world, matter)
    finally:
        # Leave the schema at the latest migrations: later tests on this worker share the database.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def _carry_over(executor, world, matter):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldMeeting, OldItem = old.get_model("meetings", "Meeting"), old.get_model("meetings", "Item")
    meeting = OldMeeting.objects.create(
        unit_id=Unit.objects.get(pk=world.unit.pk).pk,
        kind="office",
        date="2026-03-02",
        chair_id=world.principal.pk,
        created_by_id=world.principal.pk,
    )
    linked = OldItem.objects.create(meeting=meeting, number=1, title="车辆", matter_ref=matter.pk)
    free = OldItem.objects.create(meeting=meeting, number=2, title="自由提议")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Item = new.get_model("meetings", "Item")
    assert Item.objects.get(pk=linked.pk).matter_id == matter.pk
    assert Item.objects.get(pk=free.pk).matter_id is None
