"""Closing a meeting (R-MTG-6/7): the chair's explicit deferral of an item, the close — compute every
item's decision with the pure tally, seal the minutes into the ledger, move the matters, issue a
checkpoint — and corrections afterwards, which are new dated entries.

Ledger entries written by a close, in order: one "meeting.item_decided" per item (its attendance,
recusals, every statement revealed, the counts and the decision), then one "meeting.sealed" with the
SHA-256 of the canonical minutes (built by `minutes.minutes_record()` from the rows alone), then a
checkpoint is issued after commit (R-LED-2: "at each meeting's close").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, DomainError, Invalid
from zhiheng.ledger.services import issue_checkpoint_after_commit
from zhiheng.matters import services as matter_services
from zhiheng.matters.models import Matter

from .. import eligibility, rules, selectors, tally
from ..minutes import item_record, minutes_digest
from ..models import Correction, Item, Meeting, MeetingState

# -- the chair's explicit deferral ----------------------------------------------------------------


@transaction.atomic
def defer_item(*, by: Person, item: Item, reason: str | None) -> Item:
    """Issue 9 hole 2: silence is not a decision. While present members have not all stated on an
    item, the meeting cannot close unless the chair defers the item explicitly, with a reason recorded
    in the ledger; the item's matter goes back to the pool (collective review), never to "rejected".
    Once everyone has stated the tally decides, and the chair can no longer defer."""
    meeting = selectors.locked_meeting(item.meeting)
    item = Item.objects.select_related("presenter").get(pk=item.pk)
    item.meeting = meeting
    st = selectors.item_state(item)
    rules.ensure_defer(by, item, st)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("R-MTG-6", "缓议须写明理由", {"fields": {"reason": ["必填"]}})
    item.deferred_reason, item.deferred_by = reason, by
    item.save(update_fields=["deferred_reason", "deferred_by", "updated_at"])
    ledger.record(
        "meeting.item_deferred",
        by=by,
        unit=meeting.unit.code,
        subject=item.ref,
        payload={"item": item.pk, "reason": reason, "waiting_for": sorted(st.waiting_for)},
    )
    return item


# -- the close ------------------------------------------------------------------------------------

# What a decided item does to its matter (issue #6): deferred and no-quorum send it back to the pool.
MATTER_OUTCOME = {
    tally.PASSED: "passed",
    tally.REJECTED: "rejected",
    tally.DEFERRED: "deferred",
    tally.NO_QUORUM: "deferred",
}


def _prerequisite_block(item: Item) -> list[str]:
    """R-MTG-5: every candidate recommended by name, and integrity prerequisites met."""
    problems = [f"{name}：无实名推荐" for name in selectors.unrecommended_candidates(item)]
    for candidate in item.candidates.all():
        problems += [f"{candidate.name}：{p}" for p in eligibility.candidate_prerequisites(candidate)]
    return problems


def decide_item(
    item: Item, st: selectors.ItemState | None = None
) -> tuple[tally.Outcome, selectors.ItemState, list[str]]:
    st = st or selectors.item_state(item)
    outcome = tally.decide(st.facts(), selectors.meeting_rules(item.meeting))
    blocked = _prerequisite_block(item)
    if item.deferred_reason:
        # Hole 2: the chair's explicit deferral; the counts so far stay on record.
        outcome = replace(outcome, decision=tally.DEFERRED, winner=None, reason=DEFERRED_BY_CHAIR)
    elif blocked and outcome.decision == tally.PASSED:
        outcome = replace(outcome, decision=tally.DEFERRED, winner=None, reason="R-MTG-5")
    return outcome, st, blocked


DEFERRED_BY_CHAIR = "deferred-by-chair"


def _unstated(items: list[Item], states: dict[int, selectors.ItemState]) -> list[dict[str, Any]]:
    """Hole 2: items the tally would decide (quorum met, prerequisites met, not deferred by the chair)
    on which present voters have not all stated. Silence never decides: such an item waits for the
    statements or for the chair's explicit deferral. An item that cannot be decided anyway (no quorum,
    R-MTG-5 prerequisites) goes back to the pool without waiting."""
    waiting = []
    for item in items:
        st = states[item.pk]
        if item.deferred_reason or not st.waiting_for or _prerequisite_block(item):
            continue
        if tally.decide(st.facts(), selectors.meeting_rules(item.meeting)).decision == tally.NO_QUORUM:
            continue
        waiting.append({"item": item.pk, "number": item.number, "waiting_for": sorted(st.waiting_for)})
    return waiting


# Where a collective decision leaves the matter, as the sealed minutes name it (hole 4).
EFFECT_OF_STATE = {
    "approved": "approved",
    "awaiting_cosign": "awaiting_cosign",
    "rejected": "rejected",
}


def _apply_to_matter(
    item: Item, outcome: tally.Outcome, by: Person, matter: Matter
) -> tuple[str, dict[str, Any]]:
    """Move the item's matter by the decision. The meeting seals whatever happens to the matter: a
    refusal by the matter's own rules (R-MAT-5 budget short, R-MAT-7 joint review, a matter withdrawn
    meanwhile) is recorded as the item's effect and on the matter, and the matter keeps its state."""
    counts = {"agree": outcome.agree, "disagree": outcome.disagree, "defer": outcome.defer}
    try:
        with transaction.atomic():
            moved = matter_services.apply_collective_decision(
                matter=matter,
                outcome=MATTER_OUTCOME[outcome.decision],
                by=by,
                meeting_ref=item.ref,
                tally=counts,
            )
    except DomainError as refusal:
        # Not a page's refusal conversion: the meeting seals whatever the matter's own rules decide.
        matter_services.record_collective_block(
            matter=matter, meeting_ref=item.ref, rule=refusal.rule, message=refusal.message
        )
        return "blocked", {"rule": refusal.rule, "message": refusal.message}
    return EFFECT_OF_STATE.get(str(moved.state), "returned"), {"state": str(moved.state)}


@transaction.atomic
def close_meeting(*, by: Person, meeting: Meeting) -> list[dict[str, Any]]:
    """R-MTG-6/7: compute each item's decision (nobody types it in), seal, move the matters.

    The close waits until every present voter has stated on every item, or the chair has deferred the
    item with a reason (issue 9 hole 2); once it may close, it always seals (hole 4)."""
    meeting = selectors.locked_meeting(meeting)
    rules.ensure_close(by, meeting)
    items = list(
        meeting.items.select_related("presenter", "deferred_by").prefetch_related(
            "candidates__recommendations__recommender"
        )
    )
    states = {}
    for item in items:
        item.meeting = meeting
        states[item.pk] = selectors.item_state(item)
    waiting = _unstated(items, states)
    if waiting:
        raise Conflict(
            "R-MTG-4",
            "尚有出席成员未就议题表态：请待其明确表态，或由主持人对该议题决定缓议并写明理由",
            {"items": waiting},
        )
    results, records = [], []
    for item in items:
        outcome, st, blocked = decide_item(item, states[item.pk])
        item.decision, item.decision_reason = outcome.decision, outcome.reason
        item.agree, item.disagree, item.defer = outcome.agree, outcome.disagree, outcome.defer
        item.winner = next((c for c in item.candidates.all() if c.name == outcome.winner), None)
        item.facts = {
            "team": sorted(p.username for p in st.members),
            "present": sorted(st.present),
            "late": sorted(st.late),
            "recused": dict(sorted(st.recused.items())),
            "blocked": blocked,
        }
        if st.matter is not None:
            item.effect, item.effect_detail = _apply_to_matter(item, outcome, by, st.matter)
        item.save(
            update_fields=[
                "decision",
                "decision_reason",
                "agree",
                "disagree",
                "defer",
                "winner",
                "facts",
                "effect",
                "effect_detail",
                "updated_at",
            ]
        )
        record = item_record(item)
        records.append(record)
        ledger.record("meeting.item_decided", by=by, unit=meeting.unit.code, subject=item.ref, payload=record)
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
                "effect": item.effect or None,
                "effect_detail": item.effect_detail,
            }
        )
    digest = minutes_digest(meeting, records)
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
    # R-LED-2: a checkpoint at each meeting's close, once the seal is committed
    issue_checkpoint_after_commit(f"{meeting.ref} sealed")
    return results


@transaction.atomic
def correct(*, by: Person, meeting: Meeting, text: str, item: Item | None = None) -> Correction:
    """R-MTG-7: a correction of sealed minutes is a new dated entry; nothing sealed is edited."""
    meeting = selectors.locked_meeting(meeting)
    rules.ensure_correct(by, meeting)
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
