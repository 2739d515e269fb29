"""The unit rules' use cases (R-PIL-2), including what an insider would try: back-dating a version, citing a
meeting of another unit or one not sealed, editing an old version in place, repealing then reviving."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.unitrules import services
from zhiheng.unitrules.models import Rule, RuleVersion, text_digest

from .conftest import LEGACY, create, passed_item, payload

pytestmark = pytest.mark.django_db


def refused(kind, rule_id, call, *args, **kw):
    before = (Entry.objects.count(), RuleVersion.objects.count(), list(Rule.objects.values()))
    with pytest.raises(kind) as caught:
        call(*args, **kw)
    assert caught.value.rule == rule_id
    assert (Entry.objects.count(), RuleVersion.objects.count(), list(Rule.objects.values())) == before
    return caught.value


def test_a_rule_adopted_by_a_sealed_meeting_is_version_1_in_the_ledger(uw):
    item = passed_item(uw, dt.date(2026, 2, 10))
    rule = create(uw, item=item)
    v = rule.versions.get()
    assert (rule.version, rule.adopted, v.meeting_id, v.item_id) == (
        1,
        dt.date(2026, 2, 10),
        item.meeting_id,
        item.pk,
    )
    entry = payload(Entry.objects.filter(event_type="unitrules.rule_adopted").get())
    assert entry["content"] == text_digest(v.title, v.body) == v.digest
    assert entry["powers"] == ["finance"] and entry["meeting"] == item.meeting_id


def test_a_rule_adopted_before_the_system_needs_no_meeting_but_a_date_before_it(uw):
    rule = create(uw, adopted=LEGACY)
    assert rule.versions.get().meeting is None
    err = refused(Invalid, "R-PIL-2", create, uw, "CW-02", adopted=dt.date(2026, 2, 1))
    assert "meeting" in err.detail["fields"]
    refused(Invalid, "R-PIL-2", create, uw, "CW-03", adopted=dt.date(2026, 6, 1))  # the future, too


def test_a_meeting_of_another_unit_an_open_one_or_an_item_not_passed_adopts_nothing(uw):
    foreign = passed_item(uw, dt.date(2026, 2, 10), unit=uw.other_unit)
    refused(Invalid, "R-PIL-2", create, uw, item=foreign)
    still_open = passed_item(uw, dt.date(2026, 2, 11), seal=False)
    err = refused(Invalid, "R-PIL-2", create, uw, item=still_open)
    assert "meeting" in err.detail["fields"]
    ok = passed_item(uw, dt.date(2026, 2, 12))
    # an item of another meeting, then the right item on a date other than its meeting's
    err = refused(Invalid, "R-PIL-2", create, uw, "X-1", item=still_open, meeting=ok.meeting)
    assert "item" in err.detail["fields"]
    err = refused(Invalid, "R-PIL-2", create, uw, "X-1", item=ok, adopted=dt.date(2026, 2, 1))
    assert "adopted" in err.detail["fields"]


def test_a_new_version_supersedes_keeps_the_old_and_cannot_be_back_dated(uw):
    rule = create(uw, adopted=LEGACY)
    later = passed_item(uw, dt.date(2026, 2, 20))
    rule = services.revise_rule(
        by=uw.deputy,
        rule=rule,
        body=rule.versions.get().body + "\n第四条 附则。",
        meeting=later.meeting,
        item=later,
        note="增加附则",
    )
    assert (rule.version, rule.adopted) == (2, dt.date(2026, 2, 20))
    assert list(rule.versions.values_list("number", flat=True)) == [1, 2]
    earlier = passed_item(uw, dt.date(2026, 2, 15))
    refused(
        Conflict,
        "R-PIL-2",
        services.revise_rule,
        by=uw.deputy,
        rule=rule,
        body="另一文本",
        meeting=earlier.meeting,
        item=earlier,
    )
    refused(
        Conflict,
        "R-PIL-2",
        services.revise_rule,
        by=uw.deputy,
        rule=rule,
        body="另一文本",
        meeting=later.meeting,
        item=later,
    )  # the same day again is not later
    refused(
        Invalid,
        "validation",
        services.revise_rule,
        by=uw.deputy,
        rule=rule,
        meeting=passed_item(uw, dt.date(2026, 2, 25)).meeting,
    )


def test_an_old_version_is_never_edited_in_place_nor_deleted(uw):
    v = create(uw).versions.get()
    v.body = "悄悄改过的文本"
    with pytest.raises(ValueError, match="R-PIL-2"):
        v.save()
    with pytest.raises(ValueError, match="R-PIL-2"):
        v.delete()
    assert RuleVersion.objects.get(pk=v.pk).body != "悄悄改过的文本"


def test_a_repealed_rule_is_history_and_is_never_revived(uw):
    rule = create(uw)
    refused(
        Invalid,
        "R-PIL-2",
        services.repeal_rule,
        by=uw.principal,
        rule=rule,
        meeting=None,
        item=None,
        repealed_on=dt.date(2026, 2, 1),
    )
    item = passed_item(uw, dt.date(2026, 2, 10), "废止财务制度")
    rule = services.repeal_rule(by=uw.principal, rule=rule, meeting=item.meeting, item=item, reason="已合并")
    assert (rule.status, rule.repealed_on) == ("repealed", dt.date(2026, 2, 10))
    again = passed_item(uw, dt.date(2026, 2, 20))
    refused(
        Conflict,
        "R-PIL-2",
        services.revise_rule,
        by=uw.principal,
        rule=rule,
        body="恢复",
        meeting=again.meeting,
        item=again,
    )
    refused(Conflict, "R-PIL-2", create, uw, "CW-01", item=again)  # the code names the repealed rule for ever
    assert rule.versions.count() == 1


@pytest.mark.parametrize("who", ["inspector", "staff", "outsider", "admin", "other_principal"])
def test_only_the_leadership_team_records_its_rules(uw, who):
    refused(Forbidden, "R-PIL-2", create, uw, by=getattr(uw, who))


def test_powers_of_another_unit_are_refused(uw):
    from zhiheng.powers import services as power_services

    foreign = power_services.save_power(
        by=None, unit=uw.other_unit, code="f", name="他局财务", category="finance"
    )
    refused(Invalid, "validation", create, uw, powers=[foreign])


def test_a_unit_adopts_a_model_and_revises_it_as_its_own(uw):
    from zhiheng.powers.models import Category

    model = services.create_model(
        by=uw.admin,
        district=uw.district,
        code="FW-01",
        title="财务审批制度范本",
        body="第一条 范本文本。",
        group="财务",
        categories=[Category.objects.get(code="finance")],
    )
    refused(
        Forbidden,
        "R-PIL-2",
        services.create_model,
        by=uw.principal,
        district=uw.district,
        code="FW-02",
        title="t",
        body="b",
    )
    item = passed_item(uw, dt.date(2026, 2, 10))
    rule = services.adopt_model(by=uw.principal, unit=uw.unit, model=model, meeting=item.meeting, item=item)
    assert (rule.code, rule.model_id, rule.model_version, rule.title) == (
        "FW-01",
        model.pk,
        1,
        "财务审批制度范本",
    )
    assert [p.code for p in rule.versions.get().powers.all()] == ["finance"]
    services.edit_model(by=uw.admin, model=model, body="第一条 范本文本（修订）。")
    rule.refresh_from_db()
    assert rule.model_version == 1 and rule.versions.get().body == "第一条 范本文本。"
    services.withdraw_model(by=uw.admin, model=model)
    refused(Conflict, "R-PIL-2", services.adopt_model, by=uw.other_principal, unit=uw.other_unit, model=model)
