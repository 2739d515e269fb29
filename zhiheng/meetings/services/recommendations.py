"""Real-name recommendation 实名推荐 (R-MTG-5): a named member of the unit recommends a candidate of an
item, with written reasons, and stays on record."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, Forbidden, Invalid

from .. import rules, selectors
from ..models import Item, Recommendation


@transaction.atomic
def recommend(*, by: Person, item: Item, candidate: str | None, reason: str | None) -> Recommendation:
    """R-MTG-5: a named person recommends one of the item's candidates, with written reasons."""
    meeting = selectors.locked_meeting(item.meeting)
    rules.ensure_recommend(by, meeting)
    name = (candidate or "").strip()
    reason = (reason or "").strip()
    chosen = next(
        (
            c
            for c in item.candidates.select_related("person")
            if name and name in (c.name, c.person.username if c.person else None)
        ),
        None,
    )
    fields: dict[str, list[str]] = {}
    if chosen is None:
        fields["candidate"] = ["须为本议题的候选人"]
    if not reason:
        fields["reason"] = ["须写明推荐理由"]
    if chosen is None or fields:
        raise Invalid("R-MTG-5", "实名推荐须指明候选人并写明理由", {"fields": fields})
    if chosen.person_id == by.pk:
        raise Forbidden("R-MTG-5", "不能推荐自己", {"candidate": chosen.name})
    try:
        with transaction.atomic():
            rec = Recommendation.objects.create(candidate=chosen, recommender=by, reason=reason)
    except IntegrityError as exc:
        raise Conflict("R-MTG-5", "您已推荐过该候选人", {"candidate": chosen.name}) from exc
    ledger.record(
        "meeting.recommendation",
        by=by,
        unit=meeting.unit.code,
        subject=item.ref,
        payload={"item": item.pk, "candidate": chosen.name, "recommender": by.username, "reason": rec.reason},
    )
    return rec
