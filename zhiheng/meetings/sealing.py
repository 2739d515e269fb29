"""Closing a meeting (R-MTG-6/7): compute every item's decision with the pure tally, seal the minutes
into the ledger, move the matters, issue a checkpoint. Corrections afterwards are new dated entries.

Ledger entries written by a close, in order: one "meeting.item_decided" per item (its attendance,
recusals, every statement revealed, the counts and the decision), then one "meeting.sealed" with the
SHA-256 of the canonical minutes (selectors-free JSON built by `minutes()`), then a checkpoint is
issued after commit (R-LED-2: "at each meeting's close").
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.canonical import canonical_bytes

from . import integrity, matters_link, rules, selectors, tally
from .models import Correction, Item, Meeting, MeetingState
from .services import _locked, ensure_open, missing_recommendations

log = logging.getLogger(__name__)

# What a decided item does to its matter (issue #6): deferred and no-quorum send it back to the pool.
MATTER_OUTCOME = {
    tally.PASSED: "passed",
    tally.REJECTED: "rejected",
    tally.DEFERRED: "deferred",
    tally.NO_QUORUM: "deferred",
}


def _prerequisite_block(item: Item) -> list[str]:
    """R-MTG-5: every candidate recommended by name, and integrity prerequisites met."""
    problems = [f"{name}：无实名推荐" for name in missing_recommendations(item)]
    for candidate in item.candidates.all():
        problems += [f"{candidate.name}：{p}" for p in integrity.candidate_prerequisites(candidate)]
    return problems


def decide_item(item: Item) -> tuple[tally.Outcome, selectors.ItemState, list[str]]:
    st = selectors.item_state(item)
    outcome = tally.decide(st.facts(), selectors.meeting_rules(item.meeting))
    blocked = _prerequisite_block(item)
    if blocked and outcome.decision == tally.PASSED:
        outcome = tally.Outcome(
            tally.DEFERRED,
            outcome.agree,
            outcome.disagree,
            outcome.defer,
            None,
            outcome.eligible,
            outcome.voters,
            outcome.base,
            "R-MTG-5",
            outcome.per_candidate,
        )
    return outcome, st, blocked


def _item_record(
    item: Item, outcome: tally.Outcome, st: selectors.ItemState, blocked: list[str]
) -> dict[str, Any]:
    return {
        "item": item.pk,
        "number": item.number,
        "title": item.title,
        "kind": item.kind,
        "matter": item.matter_id,
        "presenter": item.presenter.username if item.presenter else None,
        "team": sorted(p.username for p in st.members),
        "present": sorted(st.present),
        "recused": dict(sorted(st.recused.items())),
        "candidates": [
            {"name": c.name, "recommended_by": [r.recommender.username for r in c.recommendations.all()]}
            for c in item.candidates.all()
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
            for s in st.statements
        ],
        "decision": outcome.decision,
        "reason": outcome.reason,
        "blocked": blocked,
        "agree": outcome.agree,
        "disagree": outcome.disagree,
        "defer": outcome.defer,
        "winner": outcome.winner,
    }


def minutes(meeting: Meeting, item_records: list[dict[str, Any]]) -> dict[str, Any]:
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


@transaction.atomic
def close_meeting(*, by: Person, meeting: Meeting) -> list[dict[str, Any]]:
    """R-MTG-6/7: compute each item's decision (nobody types it in), seal, move the matters."""
    meeting = _locked(meeting)
    if not rules.can_close(by, meeting):
        raise Forbidden("R-MTG-1", "只有会议主持人（一把手）可以宣布闭会并封存纪要", {"meeting": meeting.pk})
    ensure_open(meeting)
    results, records = [], []
    items = list(
        meeting.items.select_related("presenter").prefetch_related("candidates__recommendations__recommender")
    )
    for item in items:
        item.meeting = meeting
        outcome, st, blocked = decide_item(item)
        item.decision, item.decision_reason = outcome.decision, outcome.reason
        item.agree, item.disagree, item.defer = outcome.agree, outcome.disagree, outcome.defer
        item.winner = next((c for c in item.candidates.all() if c.name == outcome.winner), None)
        item.save(
            update_fields=[
                "decision",
                "decision_reason",
                "agree",
                "disagree",
                "defer",
                "winner",
                "updated_at",
            ]
        )
        record = _item_record(item, outcome, st, blocked)
        records.append(record)
        ledger.record("meeting.item_decided", by=by, unit=meeting.unit.code, subject=item.ref, payload=record)
        if st.matter is not None:
            matters_link.apply_decision(
                st.matter, outcome=MATTER_OUTCOME[outcome.decision], by=by, meeting_ref=item.ref
            )
        results.append(
            {
                "id": item.pk,
                "decision": outcome.decision,
                "agree": outcome.agree,
                "disagree": outcome.disagree,
                "defer": outcome.defer,
                "winner": outcome.winner,
                "reason": outcome.reason,
                "blocked": blocked,
            }
        )
    digest = hashlib.sha256(canonical_bytes(minutes(meeting, records))).hexdigest()
    meeting.state, meeting.sealed_at, meeting.sealed_by, meeting.minutes_digest = (
        MeetingState.SEALED,
        clock.now(),
        by,
        digest,
    )
    meeting.save(update_fields=["state", "sealed_at", "sealed_by", "minutes_digest", "updated_at"])
    ledger.record(
        "meeting.sealed",
        by=by,
        unit=meeting.unit.code,
        subject=meeting.ref,
        payload={"digest": digest, "items": [{"id": r["item"], "decision": r["decision"]} for r in records]},
    )
    _checkpoint_after_commit(f"{meeting.ref} sealed")
    return results


def _checkpoint_after_commit(reason: str) -> None:
    """R-LED-2: a checkpoint at each meeting's close, issued once the seal is committed."""
    from zhiheng.ledger.services import issue_checkpoint

    def issue() -> None:
        try:
            issue_checkpoint(reason=reason)
        except Exception:  # the seal is committed; the hourly checkpoint will cover it
            log.exception("checkpoint after %s failed", reason)

    transaction.on_commit(issue)


@transaction.atomic
def correct(*, by: Person, meeting: Meeting, text: str, item: Item | None = None) -> Correction:
    """R-MTG-7: a correction of sealed minutes is a new dated entry; nothing sealed is edited."""
    meeting = _locked(meeting)
    if not rules.can_correct(by, meeting):
        raise Forbidden(
            "R-MTG-7", "只有会议主持人、一把手或纪检组长可以登记纪要更正", {"meeting": meeting.pk}
        )
    if meeting.state != MeetingState.SEALED:
        raise Conflict("R-MTG-7", "会议尚未封存：更正只针对已封存的纪要", {"meeting": meeting.pk})
    if not (text or "").strip():
        raise Invalid("R-MTG-7", "更正内容不能为空", {"fields": {"text": ["必填"]}})
    if item is not None and item.meeting_id != meeting.pk:
        raise Invalid("validation", "议题不属于本次会议", {"fields": {"item": [item.pk]}})
    correction = Correction.objects.create(meeting=meeting, item=item, by=by, text=text.strip())
    ledger.record(
        "meeting.corrected",
        by=by,
        unit=meeting.unit.code,
        subject=meeting.ref,
        payload={"correction": correction.pk, "item": item.pk if item else None, "text": correction.text},
    )
    return correction


__all__ = ["close_meeting", "correct", "decide_item", "ensure_open", "minutes"]
