"""Findings and their rectification (R-SUP-2): the group records a finding, which becomes a rectification
item with an owner and a deadline; the unit answers; the group accepts (销号) or returns it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.org.models import Role

from .. import events, rules, states
from ..models import Finding, Inspection
from ..states import Severity


def _owner(inspection: Inspection, owner: Person | None) -> Person:
    """The rectification's owner: a member of the unit's team; by default its principal, who answers for
    the unit's rectification (整改第一责任人)."""
    unit = inspection.unit
    if owner is not None:
        if not org.is_team_member(owner, unit):
            raise Invalid(
                "R-SUP-2", "整改责任人须为被检查单位的领导班子成员", {"fields": {"owner": [owner.username]}}
            )
        return owner
    principal = org.memberships_on(unit).filter(role=Role.PRINCIPAL).first()
    if principal is None:
        raise Invalid(
            "R-SUP-2", "被检查单位没有在任的主要负责人，请指定整改责任人", {"fields": {"owner": ["必填"]}}
        )
    return principal.person


def _validate(title: str, severity: str, deadline: dt.date) -> None:
    fields: dict[str, list[str]] = {}
    if not title.strip():
        fields["title"] = ["必填"]
    if severity not in Severity.values:
        fields["severity"] = [f"须为 {'、'.join(Severity.values)} 之一"]
    if deadline < clock.today():
        fields["deadline"] = ["整改期限不得早于今天"]
    if fields:
        raise Invalid("R-SUP-2", "检查发现无效", {"fields": fields})


@transaction.atomic
def record_finding(
    *,
    by: Person,
    inspection: Inspection,
    title: str,
    severity: str,
    deadline: dt.date,
    description: str = "",
    rule: str = "",
    evidence: list[dict[str, Any]] | None = None,
    owner: Person | None = None,
    concerns: Person | None = None,
) -> Finding:
    inspection = (
        Inspection.objects.select_for_update().select_related("unit", "unit__district").get(pk=inspection.pk)
    )
    rules.ensure_record(by, inspection)
    _validate(title, severity, deadline)
    finding = Finding.objects.create(
        inspection=inspection,
        title=title.strip(),
        description=description.strip(),
        rule=rule.strip(),
        severity=severity,
        evidence=evidence or [],
        owner=_owner(inspection, owner),
        concerns=concerns,
        deadline=deadline,
        recorded_by=by,
    )
    entry = ledger.record(
        events.FINDING.code,
        by=by,
        unit=inspection.unit.code,
        subject=finding.subject,
        payload={
            "inspection": inspection.pk,
            "title": finding.title,
            "rule": finding.rule,
            "severity": severity,
            "deadline": deadline.isoformat(),
            "owner": finding.owner.username,
            "concerns": concerns.username if concerns else None,
            "evidence": finding.evidence,
        },
    )
    finding.ledger_index = entry.index
    finding.save(update_fields=["ledger_index"])
    return finding


def _locked(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update()
        .select_related("inspection__unit__district", "owner")
        .get(pk=finding.pk)
    )


def _move(by: Person, finding: Finding, action: str, event: str, **payload: Any) -> Finding:
    finding.state = states.next_state(finding.state, action) or finding.state
    now = clock.now()
    if action == "answer":
        finding.answered_at = now
    if action == "accept":
        finding.accepted_at = now
    finding.save()
    ledger.record(
        event,
        by=by,
        unit=finding.inspection.unit.code,
        subject=finding.subject,
        payload={"inspection": finding.inspection_id, "state": finding.state, **payload},
    )
    return finding


@transaction.atomic
def answer_rectification(*, by: Person, finding: Finding, response: str) -> Finding:
    """The unit says what it rectified; the item waits for the group's acceptance."""
    finding = _locked(finding)
    rules.ensure_answer(by, finding)
    if not response.strip():
        raise Invalid("R-SUP-2", "请填写整改情况", {"fields": {"response": ["必填"]}})
    finding.response = response.strip()
    return _move(by, finding, "answer", events.ANSWERED.code, response=finding.response)


@transaction.atomic
def accept_rectification(*, by: Person, finding: Finding, note: str = "") -> Finding:
    finding = _locked(finding)
    rules.ensure_judge(by, finding, "accept")
    return _move(by, finding, "accept", events.ACCEPTED.code, note=note.strip())


@transaction.atomic
def return_rectification(*, by: Person, finding: Finding, reason: str) -> Finding:
    finding = _locked(finding)
    rules.ensure_judge(by, finding, "return")
    if not reason.strip():
        raise Invalid("R-SUP-2", "退回整改须说明理由", {"fields": {"reason": ["必填"]}})
    return _move(by, finding, "return", events.RETURNED.code, reason=reason.strip())
