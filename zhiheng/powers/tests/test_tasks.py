"""The daily "came into force" record (R-DIV-5/6): the Celery task, its beat schedule and the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.powers import tasks

from .conftest import DAY, filed_plan

pytestmark = pytest.mark.django_db


def in_force_entries() -> int:
    return Entry.objects.filter(event_type="powers.plan_in_force").count()


def test_the_task_records_a_future_plan_once_on_its_day(pw):
    filed_plan(pw, on=DAY + dt.timedelta(days=2))
    assert in_force_entries() == 0
    assert tasks.record_plans_coming_into_force.delay(str(DAY + dt.timedelta(days=1))).get() == 0
    with clock.frozen(clock.at(DAY + dt.timedelta(days=2), 0, 5)):
        assert tasks.record_plans_coming_into_force.delay().get() == 1  # default: today
        assert tasks.record_plans_coming_into_force.delay().get() == 0  # idempotent
    assert in_force_entries() == 1


def test_the_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["powers-daily-in-force"]
    assert entry["task"] == tasks.record_plans_coming_into_force.name
    schedule = entry["schedule"]
    assert schedule.hour == {0} and schedule.minute == {5}  # once a day, just after midnight


def test_the_command_in_embedded_mode(pw):
    filed_plan(pw, on=DAY + dt.timedelta(days=1))
    out = io.StringIO()
    call_command("powers", "in-force", "--date", str(DAY + dt.timedelta(days=1)), stdout=out)
    assert out.getvalue().strip() == "1 plan(s) came into force"
    call_command("powers", "in-force", "--date", str(DAY + dt.timedelta(days=5)), stdout=out)
    assert in_force_entries() == 1
    with pytest.raises(CommandError):
        call_command("powers", "in-force", "--date", "tomorrow")
