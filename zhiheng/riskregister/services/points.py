"""The risk register's use cases (R-GATE-6): propose, edit, review, publish, require a review, retire.

Lock → authorize → check the transition → validate → write a new revision → record in the ledger. A change
of grade of a point once published needs a reason, and its entry holds the old and the new grade with it;
the grade is always computed (grading.py under the unit's thresholds), never typed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org
from zhiheng.powers.models import Power

from .. import events, grading, parameters, rules, states
from ..errors import ReasonRequired
from ..models import Revision, RiskPoint
from ..states import RiskType, Status

EDITABLE = ("description", "type", "importance", "discretion", "probability", "harm", "measures", "owner")


def _grade(point: RiskPoint) -> None:
    """Score and grade from the point's inputs under the thresholds in force for its unit."""
    inputs = grading.Inputs(
        importance=point.importance,
        discretion=point.discretion,
        probability=point.probability,
        harm=point.harm,
    )
    thresholds = parameters.thresholds(parameters.in_force(point.unit))
    point.score = grading.score(inputs)
    point.grade = grading.grade_of_score(point.score, thresholds)


def _validate(point: RiskPoint) -> None:
    fields: dict[str, list[str]] = {}
    if not point.description.strip():
        fields["description"] = ["必填"]
    if not point.measures.strip():
        fields["measures"] = ["必填：每个风险点都须有防控措施"]
    if point.type not in RiskType.values:
        fields["type"] = [f"须为 {'、'.join(RiskType.values)} 之一"]
    for name in states.INPUTS:
        value = getattr(point, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            fields[name] = ["须为 1–5 的整数"]
    if point.owner_id is not None and not org.roles_of(point.owner, point.unit):
        fields["owner"] = ["责任人须为本单位在任人员"]
    if fields:
        raise Invalid("validation", "风险点填写有误", {"fields": fields})


def _review_due(point: RiskPoint, day: dt.date | None = None) -> dt.date:
    days = int(parameters.in_force(point.unit)["review_days"])
    return (day or clock.today()) + dt.timedelta(days=days)


def _record(
    point: RiskPoint, event: str, *, by: Person | None, old_grade: str = "", reason: str = "", **extra: Any
) -> Revision:
    """One revision and one ledger entry for the point as it now stands (ids, codes and the text's digest)."""
    payload: dict[str, Any] = {
        "point": point.pk,
        "version": point.version,
        "power": point.power.code,
        "type": point.type,
        **point.inputs(),
        "score": point.score,
        "grade": point.grade,
        "owner": point.owner.username,
        "status": point.status,
        "review_due": point.review_due.isoformat(),
        "content": point.content_digest(),
    }
    if old_grade:
        payload["old_grade"] = old_grade
    if reason:
        payload["reason"] = reason
    payload.update(extra)
    entry = ledger.record(event, by=by, unit=point.unit.code, subject=point.subject, payload=payload)
    return Revision.objects.create(
        point=point,
        number=point.version,
        action=event.rpartition(".")[2],
        by=by,
        at=clock.now(),
        reason=reason,
        old_grade=old_grade,
        grade=point.grade,
        data=point.snapshot(),
        ledger_index=entry.index,
    )


def _apply(point: RiskPoint, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        if name not in EDITABLE:
            raise Invalid("validation", "风险点填写有误", {"fields": {name: ["不可修改"]}})
        if value is None:
            continue
        setattr(point, name, value.strip() if isinstance(value, str) and name != "type" else value)


@transaction.atomic
def propose_point(
    *,
    by: Person | None,
    power: Power,
    description: str,
    type: str,
    importance: int,
    discretion: int,
    probability: int,
    harm: int,
    measures: str,
    owner: Person,
    review_due: dt.date | None = None,
) -> RiskPoint:
    """R-GATE-6: the deputy in charge of the power or the unit inspector registers a point (a draft)."""
    rules.ensure_propose(by, power)
    point = RiskPoint(
        unit=power.unit,
        power=power,
        description=description.strip(),
        type=type,
        importance=importance,
        discretion=discretion,
        probability=probability,
        harm=harm,
        measures=measures.strip(),
        owner=owner,
        proposed_by=by or owner,
        status=Status.DRAFT,
    )
    _validate(point)
    _grade(point)
    point.review_due = review_due or _review_due(point)
    point.save()
    _record(point, events.PROPOSED.code, by=by)
    return point


def _changed(
    point: RiskPoint, *, by: Person | None, changes: Mapping[str, Any], reason: str
) -> tuple[str, bool]:
    """Apply the changes, regrade, and check the reason rule; (the old grade, whether anything changed)."""
    before = point.snapshot()
    old_grade = point.grade
    _apply(point, changes)
    _validate(point)
    _grade(point)
    changed = point.snapshot() != before
    if point.grade != old_grade and point.status != Status.DRAFT and not reason.strip():
        raise ReasonRequired(
            detail={
                "point": point.pk,
                "old_grade": old_grade,
                "grade": point.grade,
                "fields": {"reason": ["必填"]},
            }
        )
    return old_grade, changed


@transaction.atomic
def edit_point(*, by: Person | None, point: RiskPoint, reason: str = "", **changes: Any) -> RiskPoint:
    """R-GATE-6: the deputy in charge or the unit inspector edits a draft or published point; a change of
    grade of a published point states its reason (recorded with the old and the new grade)."""
    point = RiskPoint.objects.select_for_update().select_related("unit", "power").get(pk=point.pk)
    rules.ensure_edit(by, point)
    old_grade, changed = _changed(point, by=by, changes=changes, reason=reason)
    if not changed:
        return point
    point.version += 1
    point.save()
    if point.grade != old_grade:
        _record(point, events.REGRADED.code, by=by, old_grade=old_grade, reason=reason.strip())
    else:
        _record(point, events.CHANGED.code, by=by, reason=reason.strip())
    return point


@transaction.atomic
def review_point(
    *, by: Person | None, point: RiskPoint, note: str = "", reason: str = "", **changes: Any
) -> RiskPoint:
    """R-GATE-6: the periodic review 复核 — the point confirmed or corrected (a change of grade with its
    reason), the next review due after the unit's cycle, a required review cleared."""
    point = RiskPoint.objects.select_for_update().select_related("unit", "power").get(pk=point.pk)
    rules.ensure_review(by, point)
    old_grade, _changed_fields = _changed(point, by=by, changes=changes, reason=reason)
    now = clock.now()
    point.reviewed_at = now
    point.review_due = _review_due(point, clock.today())
    point.review_required_at = None
    point.review_required_reason = ""
    point.version += 1
    point.save()
    extra: dict[str, Any] = {"note": note.strip()} if note.strip() else {}
    _record(
        point,
        events.REVIEWED.code,
        by=by,
        old_grade=old_grade if old_grade != point.grade else "",
        reason=reason.strip(),
        **extra,
    )
    return point


@transaction.atomic
def publish_point(*, by: Person | None, point: RiskPoint) -> RiskPoint:
    """R-GATE-6: the principal or the inspector publishes a draft inside the unit (公示)."""
    point = RiskPoint.objects.select_for_update().select_related("unit", "power").get(pk=point.pk)
    rules.ensure_publish(by, point)
    point.status = states.next_state(point.status, "publish")
    point.published_at = clock.now()
    point.version += 1
    point.save()
    _record(point, events.PUBLISHED.code, by=by)
    return point


@transaction.atomic
def require_review(*, by: Person | None, point: RiskPoint, reason: str) -> RiskPoint:
    """R-GATE-6: the commission (or the unit inspector) requires a review now, with a reason."""
    point = RiskPoint.objects.select_for_update().select_related("unit", "power").get(pk=point.pk)
    rules.ensure_require_review(by, point)
    if not reason.strip():
        raise Invalid("validation", "须说明要求复核的理由", {"fields": {"reason": ["必填"]}})
    point.review_required_at = clock.now()
    point.review_required_reason = reason.strip()
    point.version += 1
    point.save()
    _record(point, events.REVIEW_REQUIRED.code, by=by, reason=reason.strip())
    return point


@transaction.atomic
def retire_point(*, by: Person | None, point: RiskPoint, reason: str) -> RiskPoint:
    """R-GATE-6: the inspector or the commission retires a point (it stays in the history), with a reason."""
    point = RiskPoint.objects.select_for_update().select_related("unit", "power").get(pk=point.pk)
    rules.ensure_retire(by, point)
    if not reason.strip():
        raise Invalid("R-GATE-6", "停用风险点须说明理由", {"point": point.pk, "fields": {"reason": ["必填"]}})
    point.status = states.next_state(point.status, "retire")
    point.retired_at = clock.now()
    point.version += 1
    point.save()
    _record(point, events.RETIRED.code, by=by, reason=reason.strip())
    return point
