"""The one "district default with unit override" mechanism: dated versions, unit over district over the
SPEC default field by field, the source of each value, one ledger entry per change, and refusals that
write nothing — on a set of the tests' own, then through the two apps that use it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.core.errors import Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.parameters import registry, selectors
from zhiheng.parameters.models import ParameterVersion

from .conftest import DAY, EXAM
from .factories import put

pytestmark = pytest.mark.django_db

NS = EXAM.namespace


def payload(entry: Entry) -> dict:
    return json.loads(entry.text)["payload"]


def written() -> tuple[int, int]:
    return ParameterVersion.objects.count(), Entry.objects.count()


def test_nothing_set_means_the_spec_defaults(world, today):
    rules = parameters.effective(NS, world.unit)
    assert rules.values == {"pass_mark": 60, "retakes": 1}
    assert rules.sources == {"pass_mark": "default", "retakes": "default"}
    assert rules.own is None and rules.source == "default"
    assert [(r["field"], str(r["source_label"])) for r in rules.rows()] == [
        ("pass_mark", "制度默认"),
        ("retakes", "制度默认"),
    ]


def test_unit_over_district_over_default_field_by_field(world, today):
    parameters.set_values(NS, by=world.admin, district=world.district, values={"pass_mark": 70})
    parameters.set_values(NS, by=world.admin, unit=world.unit, values={"retakes": 0})
    unit = parameters.effective(NS, world.unit)
    assert unit.values == {"pass_mark": 70, "retakes": 0}
    assert unit.sources == {"pass_mark": "district", "retakes": "unit"}
    assert [str(r["source_label"]) for r in unit.rows()] == ["区默认", "本单位"]
    assert unit.own == {"pass_mark": None, "retakes": 0} and unit.source == "unit"
    other = parameters.effective(NS, world.other_unit)  # same district, no override of its own
    assert other.values == {"pass_mark": 70, "retakes": 1}
    assert other.sources == {"pass_mark": "district", "retakes": "default"}
    district = parameters.effective(NS, district=world.district)
    assert district.values == {"pass_mark": 70, "retakes": 1} and district.own == {
        "pass_mark": 70,
        "retakes": None,
    }
    far = parameters.effective(NS, district=world.far_district)
    assert far.values == {"pass_mark": 60, "retakes": 1} and far.source == "default"


def test_a_change_today_does_not_alter_what_was_in_force_yesterday(world):
    day1, day2 = DAY, DAY + dt.timedelta(days=1)
    with clock.frozen(clock.at(day1)):
        first = parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 70})
    with clock.frozen(clock.at(day2, 15)):
        second = parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 80})
        assert parameters.effective(NS, world.unit).values["pass_mark"] == 80  # today
    assert (first.in_force_from, second.in_force_from) == (day1, day2)
    assert parameters.effective(NS, world.unit, day=day1).values["pass_mark"] == 70
    assert parameters.effective(NS, world.unit, day=day2).values["pass_mark"] == 80
    before = parameters.effective(NS, world.unit, day=day1 - dt.timedelta(days=1))
    assert before.values["pass_mark"] == 60 and before.sources["pass_mark"] == "default"
    first.refresh_from_db()
    assert first.values == {"pass_mark": 70, "retakes": None}  # the earlier version is untouched


def test_versions_are_never_changed_in_place(world, today):
    version = parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 70})
    version.values = {"pass_mark": 99}
    with pytest.raises(ValueError, match="never changed"):
        version.save()
    assert ParameterVersion.objects.get().values == {"pass_mark": 70, "retakes": None}


def test_each_change_is_one_ledger_entry_linked_from_its_version(world, today):
    entries = Entry.objects.count()
    version = parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 75})
    entry = Entry.objects.get(index=version.ledger_index)
    assert Entry.objects.count() == entries + 1
    assert (entry.event_type, entry.subject, entry.unit, entry.actor) == (
        "test.exam_rules_set",
        "exam-rules:unit:t-unit",
        "t-unit",
        "t-admin",
    )
    assert payload(entry) == {
        "scope": "unit",
        "district": "testdistrict",
        "unit": "t-unit",
        "before": None,
        "after": {"pass_mark": 75, "retakes": None},
        "changed": ["pass_mark"],
        "effective_from": "2026-03-02",
    }
    assert version.set_by == world.admin and version.in_force_from == DAY
    district = parameters.set_values(NS, by=world.admin, district=world.district, values={"retakes": 2})
    entry = Entry.objects.get(index=district.ledger_index)
    assert (entry.subject, entry.unit, entry.district) == (
        "exam-rules:district:testdistrict",
        "",
        "testdistrict",
    )


def test_clearing_an_override_is_a_version_saying_inherit(world, today):
    parameters.set_values(NS, by=world.admin, district=world.district, values={"pass_mark": 70})
    parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 90})
    cleared = parameters.clear(NS, by=world.admin, unit=world.unit)
    assert cleared is not None and cleared.inherits and cleared.values is None
    rules = parameters.effective(NS, world.unit)
    assert rules.values["pass_mark"] == 70 and rules.sources["pass_mark"] == "district" and rules.own is None
    assert payload(Entry.objects.get(index=cleared.ledger_index))["after"] is None
    before = written()
    assert parameters.clear(NS, by=world.admin, unit=world.unit) is None  # nothing to clear: nothing written
    assert written() == before
    assert ParameterVersion.objects.filter(unit=world.unit).count() == 2


def test_history_newest_first_with_what_each_version_changed(world, today):
    parameters.set_values(NS, by=world.admin, district=world.district, values={"pass_mark": 70})
    parameters.set_values(NS, by=world.admin, unit=world.unit, values={"retakes": 0})
    parameters.set_values(NS, by=world.admin, unit=world.unit, values={"retakes": 0, "pass_mark": 65})
    parameters.clear(NS, by=world.admin, unit=world.unit)
    history = parameters.history(NS, world.unit)
    assert [(c.version.scope, c.source_label, c.changed) for c in history] == [
        ("unit", "本单位", ["及格线", "补考次数"]),
        ("unit", "本单位", ["及格线"]),
        ("unit", "本单位", ["补考次数"]),
        ("district", "区默认", ["及格线"]),
    ]
    assert [c.version.scope for c in parameters.history(NS, world.unit, inherited=False)] == ["unit"] * 3
    assert [c.version.scope for c in parameters.history(NS, district=world.district)] == ["district"]
    latest = history[0].as_dict()
    assert latest["inherit"] is True and latest["actor"] == "t-admin" and latest["at"].endswith("+08:00")
    assert (
        latest["in_force_from"] == "2026-03-02" and latest["ledger_index"] == history[0].version.ledger_index
    )


@pytest.mark.parametrize(
    "persona", ["principal", "deputy", "inspector", "staff", "outsider", "other_admin", "other_principal"]
)
def test_only_the_districts_commission_admins_may_set_or_clear(world, today, persona):
    put(NS, unit=world.unit, values={"pass_mark": 80})
    before = written()
    who = getattr(world, persona)
    for call in (
        lambda: parameters.set_values(NS, by=who, unit=world.unit, values={"pass_mark": 50}),
        lambda: parameters.set_values(NS, by=who, district=world.district, values={"pass_mark": 50}),
        lambda: parameters.clear(NS, by=who, unit=world.unit),
    ):
        with pytest.raises(Forbidden) as refusal:
            call()
        assert (refusal.value.rule, refusal.value.status) == ("R-EXAM-1", 403)
        assert refusal.value.message == "只有本区纪委管理员可以设定考试规则"
    assert written() == before
    assert parameters.can_set(who, world.district) is False
    assert parameters.can_set(world.admin, world.district) is True


def test_invalid_values_are_refused_with_the_sets_rule_and_write_nothing(world, today):
    before = written()
    with pytest.raises(Invalid) as refusal:
        parameters.set_values(NS, by=world.admin, unit=world.unit, values={"pass_mark": 0})
    assert (refusal.value.rule, refusal.value.status) == ("R-EXAM-1", 422)
    assert refusal.value.detail == {"fields": {"pass_mark": ["须为 1–100 的整数"]}}
    assert written() == before


def test_units_setting_reads_the_version_in_force(world, today):
    put(NS, unit=world.unit, values={"pass_mark": 80})
    put(NS, unit=world.other_unit, values={"pass_mark": 80})
    assert set(selectors.units_setting(NS, "pass_mark", 80)) == {world.unit.pk, world.other_unit.pk}
    parameters.set_values(NS, by=world.admin, unit=world.other_unit, values={"pass_mark": 85})
    assert set(selectors.units_setting(NS, "pass_mark", 80)) == {world.unit.pk}
    assert set(selectors.units_setting(NS, "pass_mark", 80, day=DAY - dt.timedelta(days=1))) == {
        world.unit.pk,
        world.other_unit.pk,
    }


def test_the_registry_knows_each_set_once():
    assert registry.get("matters").rule == "R-MAT-3" and registry.get("meetings").rule == "R-MTG-2"
    assert {"matters", "meetings", NS} <= {s.namespace for s in registry.all_sets()}
    assert registry.register(EXAM) is EXAM  # the same declaration again is harmless
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(registry.ParameterSet(**{**EXAM.__dict__, "rule": "R-OTHER"}))
    with pytest.raises(ValueError, match="without a label"):
        registry.register(
            registry.ParameterSet(**{**EXAM.__dict__, "namespace": "test-bad", "defaults": {"nope": 1}})
        )
    with pytest.raises(LookupError):
        registry.get("no-such-set")


# ---------------------------------------------------------------- through the apps' API


@pytest.mark.parametrize(
    ("url", "body", "rule"),
    [
        ("/api/v1/units/t-unit/matter-rules", {"collective_threshold": "1000.00"}, "R-MAT-3"),
        ("/api/v1/units/t-unit/meeting-rules", {"blind_statements": True}, "R-MTG-2"),
    ],
)
def test_api_refuses_non_admins_with_the_rule_id_and_writes_nothing(
    world, api_client, today, url, body, rule
):
    before = written()
    for persona in ("principal", "deputy", "staff"):
        r = api_client.as_(getattr(world, persona)).post(url, body)
        assert r.status_code == 403 and r.json()["error"]["rule"] == rule, r.content
    assert written() == before
    r = api_client.as_(world.admin).post(url, body)
    assert r.status_code == 200, r.content
    assert written() == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize(
    ("url", "body", "rule"),
    [
        ("/api/v1/units/t-unit/matter-rules", {"collective_threshold": "-1"}, "validation"),
        ("/api/v1/units/t-unit/meeting-rules", {"quorum": {"num": 1, "den": 3}}, "R-MTG-2"),
    ],
)
def test_api_validation_422_writes_nothing(world, api_client, today, url, body, rule):
    before = written()
    r = api_client.as_(world.admin).post(url, body)
    assert r.status_code == 422 and r.json()["error"]["rule"] == rule, r.content
    assert written() == before


def test_api_answers_show_sources_and_versions(world, api_client, today):
    admin = api_client.as_(world.admin)
    admin.post("/api/v1/districts/testdistrict/matter-rules", {"cosign_threshold": "150000"})
    body = admin.post("/api/v1/units/t-unit/matter-rules", {"collective_threshold": "20000"}).json()
    assert body["effective"]["collective_threshold"] == {"value": "20000.00", "source": "unit"}
    assert body["effective"]["cosign_threshold"] == {"value": "150000.00", "source": "district"}
    assert [(v["scope"], v["changed"]) for v in body["versions"]] == [
        ("unit", ["支出/采购集体会审起点"]),
        ("district", ["会签起点"]),
    ]
    assert [v["scope"] for v in body["history"]] == ["unit"]
    admin.post("/api/v1/districts/testdistrict/meeting-rules", {"blind_statements": True})
    body = admin.get("/api/v1/units/t-unit/meeting-rules").json()
    assert body["source"] == "district" and body["blind_statements"] is True
    assert [(v["scope"], v["in_force_from"]) for v in body["versions"]] == [("district", "2026-03-02")]
