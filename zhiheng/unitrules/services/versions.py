"""A unit's rules (R-PIL-2): create a rule (version 1), adopt one from the district's model, revise it into a
new version, repeal it. Lock → authorize → check the transition → check the adoption (adoption.py) → write
a new version (never an old one) → record in the ledger.

Invariants an insider might try to bend with legitimate calls (tests/test_invariants.py drives them):
versions are numbered 1, 2, … without gaps and each is adopted strictly after the one before; every version
adopted since the unit joined the system cites a sealed meeting of the unit and its passed agenda item, on
the meeting's date; a repeal likewise, after the version in force; a repealed rule takes no new version and
its code is never reused; a version row is never rewritten, and the ledger holds the digest of each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.meetings.models import Item, Meeting
from zhiheng.org.models import Unit
from zhiheng.powers.models import Power

from .. import events, rules, states
from ..errors import BackDated, DuplicateCode
from ..models import ModelRule, Rule, RuleVersion, clean_body, text_digest
from .adoption import Adoption, adoption, check_powers, check_text


def _record_version(
    rule: Rule,
    *,
    by: Person | None,
    event: str,
    title: str,
    group: str,
    body: str,
    powers: list[Power],
    adopted: Adoption,
    note: str = "",
    **extra: Any,
) -> RuleVersion:
    version = RuleVersion.objects.create(
        rule=rule,
        number=rule.version,
        title=title,
        group=group,
        body=body,
        adopted=adopted.adopted,
        meeting=adopted.meeting,
        item=adopted.item,
        note=note,
        recorded_by=by,
        recorded_at=clock.now(),
        digest=text_digest(title, body),
    )
    version.powers.set(powers)
    payload: dict[str, Any] = {
        "rule": rule.code,
        "version": version.number,
        "title": title,
        "group": group,
        "adopted": adopted.adopted.isoformat(),
        "meeting": adopted.meeting.pk if adopted.meeting else None,
        "item": adopted.item.pk if adopted.item else None,
        "powers": sorted(p.code for p in powers),
        "content": version.digest,
        **extra,
    }
    entry = ledger.record(event, by=by, unit=rule.unit.code, subject=rule.subject, payload=payload)
    if entry.index is not None:
        version.ledger_index = entry.index
        version.save(update_fields=["ledger_index"])
    return version


def _create(
    *,
    by: Person | None,
    unit: Unit,
    code: str,
    title: str,
    body: str,
    group: str,
    powers: list[Power],
    meeting: Meeting | int | None,
    item: Item | int | None,
    adopted: dt.date | None,
    model: ModelRule | None = None,
) -> Rule:
    rules.ensure_write(by, unit)
    code, title, group, body = code.strip(), title.strip(), group.strip(), clean_body(body)
    check_text(code=code, title=title, body=body, group=group)
    check_powers(unit, powers)
    when = adoption(unit, meeting=meeting, item=item, adopted=adopted)
    try:
        with transaction.atomic():
            rule = Rule.objects.create(
                unit=unit,
                code=code,
                title=title,
                group=group,
                version=1,
                adopted=when.adopted,
                model=model,
                model_version=model.version if model else None,
                created_by=by,
            )
    except IntegrityError:
        raise DuplicateCode(
            detail={"code": code, "fields": {"code": ["编号已被使用（包括已废止的制度）"]}}
        ) from None
    extra: dict[str, Any] = {"model": model.code, "model_version": model.version} if model else {}
    _record_version(
        rule,
        by=by,
        event=events.RULE_ADOPTED.code,
        title=title,
        group=group,
        body=body,
        powers=powers,
        adopted=when,
        **extra,
    )
    return rule


@transaction.atomic
def create_rule(
    *,
    by: Person | None,
    unit: Unit,
    code: str,
    title: str,
    body: str,
    group: str = "",
    powers: list[Power] | None = None,
    meeting: Meeting | int | None = None,
    item: Item | int | None = None,
    adopted: dt.date | None = None,
) -> Rule:
    """R-PIL-2: a team member records a rule the team adopted (version 1) — with the sealed meeting and its
    passed item, or, adopted before the unit joined the system, with its date alone."""
    return _create(
        by=by,
        unit=unit,
        code=code,
        title=title,
        body=body,
        group=group,
        powers=powers or [],
        meeting=meeting,
        item=item,
        adopted=adopted,
    )


@transaction.atomic
def adopt_model(
    *,
    by: Person | None,
    unit: Unit,
    model: ModelRule,
    code: str = "",
    group: str | None = None,
    powers: list[Power] | None = None,
    meeting: Meeting | int | None = None,
    item: Item | int | None = None,
    adopted: dt.date | None = None,
) -> Rule:
    """R-PIL-2: the unit adopts a model rule of its district's library: its own rule, version 1, the model's
    title and text, recording which model (and which version of it) it came from; the unit then revises it
    as its own. Powers default to the unit's powers of the model's categories."""
    model = ModelRule.objects.select_for_update().get(pk=model.pk)
    rules.ensure_write(by, unit)
    if model.district_id != unit.district_id:
        raise Invalid("validation", "只能采用本区的制度范本", {"fields": {"model": ["须为本区的制度范本"]}})
    states.next_state(model.status, "adopt_model")
    if powers is None:
        categories = list(model.categories.values_list("pk", flat=True))
        powers = list(
            Power.objects.filter(unit=unit, is_active=True, category__in=categories).order_by("code")
        )
    return _create(
        by=by,
        unit=unit,
        code=code or model.code,
        title=model.title,
        body=model.body,
        group=model.group if group is None else group,
        powers=powers,
        meeting=meeting,
        item=item,
        adopted=adopted,
        model=model,
    )


@transaction.atomic
def revise_rule(
    *,
    by: Person | None,
    rule: Rule,
    body: str | None = None,
    title: str | None = None,
    group: str | None = None,
    powers: list[Power] | None = None,
    meeting: Meeting | int | None = None,
    item: Item | int | None = None,
    adopted: dt.date | None = None,
    note: str = "",
) -> Rule:
    """R-PIL-2: a new version supersedes the one in force (which is kept): adopted strictly after it, by a
    sealed meeting of the unit (or before the unit joined the system), with something actually changed."""
    rule = Rule.objects.select_for_update().select_related("unit").get(pk=rule.pk)
    rules.ensure_write(by, rule.unit, rule, "revise")
    states.next_state(rule.status, "revise")
    current = rule.versions.prefetch_related("powers").get(number=rule.version)
    title = current.title if title is None else title.strip()
    group = current.group if group is None else group.strip()
    body = current.body if body is None else clean_body(body)
    powers = list(current.powers.all()) if powers is None else powers
    check_text(title=title, body=body, group=group)
    check_powers(rule.unit, powers)
    same = (title, group, body, {p.pk for p in powers}) == (
        current.title,
        current.group,
        current.body,
        {p.pk for p in current.powers.all()},
    )
    if same:
        raise Invalid("validation", "新版本与现行版本相同", {"fields": {"body": ["未作修改"]}})
    when = adoption(rule.unit, meeting=meeting, item=item, adopted=adopted)
    if when.adopted <= rule.adopted:
        raise BackDated(
            detail={
                "rule": rule.code,
                "adopted": when.adopted.isoformat(),
                "current": rule.adopted.isoformat(),
            }
        )
    rule.version += 1
    rule.title, rule.group, rule.adopted = title, group, when.adopted
    rule.save(update_fields=["version", "title", "group", "adopted", "updated_at"])
    _record_version(
        rule,
        by=by,
        event=events.RULE_REVISED.code,
        title=title,
        group=group,
        body=body,
        powers=powers,
        adopted=when,
        note=note.strip(),
        supersedes=rule.version - 1,
    )
    return rule


@transaction.atomic
def repeal_rule(
    *,
    by: Person | None,
    rule: Rule,
    meeting: Meeting | int | None,
    item: Item | int | None,
    reason: str = "",
    repealed_on: dt.date | None = None,
) -> Rule:
    """R-PIL-2: the unit repeals a rule 废止 by a sealed meeting's passed item, after the version in force was
    adopted. The rule and its versions stay; it takes no new version and is never revived."""
    rule = Rule.objects.select_for_update().select_related("unit").get(pk=rule.pk)
    rules.ensure_write(by, rule.unit, rule, "repeal")
    status = states.next_state(rule.status, "repeal")
    when = adoption(rule.unit, meeting=meeting, item=item, adopted=repealed_on, legacy=False)
    if when.adopted <= rule.adopted:
        raise BackDated(
            detail={
                "rule": rule.code,
                "repealed_on": when.adopted.isoformat(),
                "current": rule.adopted.isoformat(),
            }
        )
    rule.status, rule.repealed_on = status, when.adopted
    rule.repeal_meeting, rule.repeal_item, rule.repeal_reason = when.meeting, when.item, reason.strip()
    rule.save(
        update_fields=[
            "status",
            "repealed_on",
            "repeal_meeting",
            "repeal_item",
            "repeal_reason",
            "updated_at",
        ]
    )
    ledger.record(
        events.RULE_REPEALED.code,
        by=by,
        unit=rule.unit.code,
        subject=rule.subject,
        payload={
            "rule": rule.code,
            "version": rule.version,
            "repealed_on": when.adopted.isoformat(),
            "meeting": when.meeting.pk if when.meeting else None,
            "item": when.item.pk if when.item else None,
            "reason": rule.repeal_reason,
        },
    )
    return rule
