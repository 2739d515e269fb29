"""zhiheng.web.labels: one registry of Chinese labels for codes (issue 13), and its template filters."""

from __future__ import annotations

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation

from zhiheng.web import labels


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for one test: the apps' registrations are put back afterwards."""
    for name in ("_vocabularies", "_formatters", "_subjects", "_subject_names", "_fields", "_field_values"):
        monkeypatch.setattr(labels, name, {})
    return labels


class Colour(models.TextChoices):
    RED = "red", "红"
    BLUE = "blue", "蓝"


def test_register_reads_choices_mappings_and_pairs(registry):
    registry.register("colour", Colour)
    registry.register("colour", {"green": "绿"})
    registry.register("size", [("s", "小"), ("l", "大")])
    assert registry.label("colour", "red") == "红"
    assert registry.label("colour", Colour.BLUE) == "蓝"
    assert registry.label("colour", "green") == "绿"
    assert registry.vocabulary("size") == {"s": "小", "l": "大"}
    assert registry.choices("size") == [("s", "小"), ("l", "大")]
    assert registry.vocabularies() == {
        "colour": {"red": "红", "blue": "蓝", "green": "绿"},
        "size": {"s": "小", "l": "大"},
    }


def test_an_unknown_code_shows_as_it_is_and_nothing_as_nothing(registry):
    registry.register("colour", Colour)
    assert registry.label("colour", "purple") == "purple"
    assert registry.label("nowhere", "red") == "red"
    assert registry.label("colour", None) == "" and registry.label("colour", "") == ""


def test_formatters_label_codes_with_a_structure(registry):
    registry.register("reason", {"manual": "手动"})
    registry.register_formatter("reason", lambda code: f"第{code[1:]}版" if code.startswith("v") else None)
    assert registry.label("reason", "manual") == "手动"
    assert registry.label("reason", "v2") == "第2版"
    assert registry.label("reason", "other") == "other"


def test_subjects_read_references_by_name_with_one_call_per_kind(registry):
    calls = []

    def units(codes):
        calls.append(codes)
        return {"jb-fgj": "区房管局"}

    registry.register_subject("unit", units)
    registry.register_subject("meeting", "会议")
    registry.register_subject("item", "议题")
    texts = registry.subjects(["unit:jb-fgj", "unit:gone", "meeting:8/item:3", "matter:4", "plain", None])
    assert texts == {
        "unit:jb-fgj": "区房管局",
        "unit:gone": "unit:gone",  # a unit nobody knows stays visible as it is
        "meeting:8/item:3": "会议 #8 · 议题 #3",
        "matter:4": "matter:4",
        "plain": "plain",
    }
    assert calls == [["gone", "jb-fgj"]]
    assert registry.subject("meeting:8") == "会议 #8" and registry.subject("") == ""


def test_a_described_kind_with_a_name_reads_name_first_and_bare_in_a_payload(registry):
    registry.register_subject("matter", lambda pks: {pk: f"#{pk} 购买打印纸" for pk in pks}, name="事项")
    registry.register_fields({"matter": ("事项", "@matter"), "amount": ("金额", "yuan")})
    registry.register_fields({"title": "标题", "org.term_started/title": "职务"})
    assert registry.subject("matter:42") == "事项 #42 购买打印纸"
    assert registry.payload({"matter": 42, "amount": "1234.5", "title": "局长"}) == [
        ("事项", "#42 购买打印纸"),
        ("金额", "¥1,234.50"),
        ("标题", "局长"),
    ]
    assert registry.payload({"title": "局长"}, event="org.term_started") == [("职务", "局长")]


def test_actors_are_people_or_meeting_items(registry):
    registry.register_subject("person", lambda names: {"zhang": "张三"})
    registry.register_subject("meeting", "会议")
    registry.register_subject("item", "议题")
    assert registry.actors(["zhang", "meeting:8/item:3", ""]) == {
        "zhang": "张三",
        "meeting:8/item:3": "会议 #8 · 议题 #3",
    }


def test_payloads_read_with_chinese_keys_labelled_codes_and_names(registry):
    registry.register("state", {"approved": "已批准"})
    registry.register_subject("person", lambda names: {"zhang": "张三"})
    registry.register_subject("power", lambda rests: {"u1/finance": "财务收支审批"})
    registry.register_fields(
        {
            "state": ("状态", "state"),
            "by": ("经办人", "@person"),
            "power": ("职权", "@power/"),
            "restricted": "不直接分管",
            "at": "时间",
            "cosign": ("会签人", "@person"),
        }
    )
    rows = registry.payload(
        {
            "state": "approved",
            "by": "zhang",
            "power": "finance",
            "restricted": True,
            "at": "2026-03-02T10:00:00+08:00",
            "cosign": ["zhang", "li"],
            "extra": None,
        },
        unit="u1",
    )
    assert rows == [
        ("状态", "已批准"),
        ("经办人", "张三"),
        ("职权", "财务收支审批"),
        ("不直接分管", "是"),
        ("时间", "2026-03-02 10:00:00"),
        ("会签人", "张三、li"),
        ("extra", "—"),  # an unknown key stays visible, so the untranslated-code test names it
    ]
    # Nested mappings and lists of mappings become nested rows.
    assert registry.payload({"state": {"state": "approved"}, "by": [{"by": "zhang"}]}) == [
        ("状态", [("状态", "已批准")]),
        ("经办人", [[("经办人", "张三")]]),
    ]


def test_a_key_read_one_way_in_one_events_entries_reads_so_there_only(registry):
    """ "<event>/<key>" names and reads the key in that event's entries (a model rule's status is 在用 there),
    everywhere else the key reads as registered for it alone — lists included."""
    registry.register("model", {"active": "在用"})
    registry.register("matter", {"active": "办理中"})
    registry.register_subject("power", lambda rests: {"u1/finance": "财务收支审批"})
    registry.register_fields(
        {
            "status": ("状态", "matter"),
            "rules.model_created/status": ("范本状态", "model"),
            "rules.model_created/powers": ("所涉职权", "@power/"),
        }
    )
    payload = {"status": "active", "powers": ["finance", "hr"]}
    assert registry.payload(payload, unit="u1", event="rules.model_created") == [
        ("范本状态", "在用"),
        ("所涉职权", "财务收支审批、hr"),
    ]
    assert registry.payload(payload, unit="u1", event="matters.other") == [
        ("状态", "办理中"),
        ("powers", "finance、hr"),
    ]


@pytest.mark.django_db
def test_the_apps_register_their_vocabularies_and_the_filters_use_them():
    # The real registry, as the apps' AppConfig.ready filled it.
    assert labels.label("matter.state", "awaiting_cosign") == "待会签"
    assert labels.label("matter.cosign_role", "finance_deputy") == "分管财务副职"
    assert labels.label("meeting.decision", "passed") == "通过"
    assert labels.label("ledger.checkpoint_reason", "meeting-closed") == "会议闭会"
    assert labels.label("ledger.event", "matter.approved") == "事项批准"
    assert labels.label("error.rule", "validation") == "输入有误"
    page = Template(
        '{% load labels %}{{ "collective_review"|label:"matter.state" }}|{{ "meeting:8"|subject }}|{% payload data %}'
    ).render(Context({"data": {"state": "approved", "digest": "ab" * 16}}))
    assert page.startswith("待集体会审|会议 #8|<dl")
    assert "<dt>状态</dt><dd>已批准</dd>" in page and f"<code>{'ab' * 16}</code>" in page
    with translation.override("en"):
        assert labels.label("matter.state", "approved") != "approved"
