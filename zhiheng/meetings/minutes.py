"""The sealed minutes as a record (R-MTG-7): built from a meeting's rows alone, and checked against the
ledger (issue 9 hole 10). Reads only.

The close (services/closing.py) writes `item_record(item)` into each "meeting.item_decided" entry and
the SHA-256 of `minutes_record(meeting, records)` into "meeting.sealed" and onto the meeting. The
database refuses edits of a sealed meeting's rows (sealed_rows.py), but someone with the database
owner's rights can lift a trigger. So `zhiheng ledger verify` also runs `sealed_meeting_problems()`:
it rebuilds each sealed meeting's minutes from the rows as they are now, with the same functions, and
compares them with the meeting's stored digest, the ledger's "meeting.sealed" entry and each item's
"meeting.item_decided" entry. Any difference is named.
"""

from __future__ import annotations

import hashlib
from typing import Any

from zhiheng.core import clock
from zhiheng.ledger import selectors as ledger_selectors
from zhiheng.ledger.canonical import canonical_bytes

from . import selectors
from .models import Item, Meeting, MeetingState


def item_record(item: Item) -> dict[str, Any]:
    """The sealed record of one item, built from its stored rows alone (the item with the facts the
    close froze on it, its candidates, recommendations and statements), so that verification can
    re-derive the minutes from the database and compare them with the ledger (issue 9 hole 10)."""
    facts = item.facts or {}
    return {
        "item": item.pk,
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "matter": item.matter_id,
        "presenter": item.presenter.username if item.presenter else None,
        "team": facts.get("team", []),
        "present": facts.get("present", []),
        "late": facts.get("late", []),
        "recused": facts.get("recused", {}),
        "roll_frozen_at": item.roll_frozen_at.astimezone(clock.SHANGHAI).isoformat()
        if item.roll_frozen_at
        else None,
        "deferred": (
            {"reason": item.deferred_reason, "by": item.deferred_by.username if item.deferred_by else None}
            if item.deferred_reason
            else None
        ),
        "candidates": [
            {
                "name": c.name,
                "person": c.person.username if c.person else None,
                "recommended_by": [r.recommender.username for r in c.recommendations.order_by("pk")],
            }
            for c in item.candidates.select_related("person").order_by("number")
        ],
        "statements": [
            {
                "seq": s.seq,
                "member": s.person.username,
                "position": s.position,
                "reason": s.reason,
                "candidate": s.candidate.name if s.candidate else None,
                "counted": s.counted,
                "digest": s.digest,
                "salt": s.salt,
            }
            for s in item.statements.select_related("person", "candidate").order_by("seq")
        ],
        "decision": item.decision,
        "reason": item.decision_reason,
        "blocked": facts.get("blocked", []),
        "agree": item.agree,
        "disagree": item.disagree,
        "defer": item.defer,
        "winner": item.winner.name if item.winner else None,
        "effect": item.effect,
        "effect_detail": item.effect_detail,
    }


def minutes_record(meeting: Meeting, item_records: list[dict[str, Any]]) -> dict[str, Any]:
    attendance = [
        {
            "person": a.person.username,
            "name": a.person.name,
            "role": a.role,
            "invited_by": a.invited_by.username,
        }
        for a in selectors.attendance_of(meeting)
    ]
    return {
        "meeting": meeting.pk,
        "unit": meeting.unit.code,
        "kind": meeting.kind,
        "category": meeting.category,
        "date": str(meeting.date),
        "chair": meeting.chair.username,
        "blind": meeting.blind,
        "attendance": attendance,
        "items": item_records,
    }


def minutes_digest(meeting: Meeting, item_records: list[dict[str, Any]]) -> str:
    return hashlib.sha256(canonical_bytes(minutes_record(meeting, item_records))).hexdigest()


def sealed_meeting_problems() -> list[str]:
    problems: list[str] = []
    meetings = (
        Meeting.objects.filter(state=MeetingState.SEALED).select_related("unit", "chair").order_by("pk")
    )
    for meeting in meetings:
        items = list(meeting.items.select_related("presenter", "deferred_by", "winner").order_by("number"))
        records = [item_record(item) for item in items]
        digest = minutes_digest(meeting, records)
        sealed = ledger_selectors.payloads_about(meeting.ref, "meeting.sealed")
        if not sealed:
            problems.append(f"{meeting.ref}：账本中没有封存记录")
            continue
        if digest != sealed[-1].get("digest") or digest != meeting.minutes_digest:
            problems.append(f"{meeting.ref}：由数据库记录重新计算的纪要摘要与封存时不一致（纪要被改动）")
        for item, record in zip(items, records, strict=True):
            decided = ledger_selectors.payloads_about(item.ref, "meeting.item_decided")
            if not decided or decided[-1] != record:
                changed = sorted(k for k in record if not decided or decided[-1].get(k) != record[k])
                problems.append(f"{item.ref}：议题记录与账本不一致（{', '.join(changed)}）")
    return problems
