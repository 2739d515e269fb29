"""Statements 表态 (R-MTG-3, 4, 9): a member states their own position on an item, in the speaking
order, once, explicitly and with reasons; blind statements enter the ledger as a commitment."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.ledger.canonical import canonical_bytes

from .. import rules, selectors, tally
from ..errors import UnclearStatement
from ..models import AttendanceRole, Candidate, Item, ItemKind, Statement


def _clean_statement(
    st: selectors.ItemState, position: str | None, reason: str | None, candidate: str | None
) -> tuple[str, str, Candidate | None]:
    """R-MTG-4: an explicit position with reasons; on a personnel item with several candidates, agree
    names the single most suitable one."""
    fields: dict[str, list[str]] = {}
    position = (position or "").strip()
    reason = (reason or "").strip()
    if position not in tally.POSITIONS:
        fields["position"] = ["须明确表态：agree 同意、disagree 不同意或 defer 缓议"]
    if not reason:
        fields["reason"] = ["须说明理由"]
    chosen = None
    cands = list(st.item.candidates.select_related("person"))
    name = (candidate or "").strip()
    if name:
        chosen = next((c for c in cands if name in (c.name, c.person.username if c.person else None)), None)
        if chosen is None:
            fields["candidate"] = [f"“{name}”不是本议题的候选人"]
    multi = st.item.kind == ItemKind.PERSONNEL and len(cands) >= 2
    if multi and position == tally.AGREE and chosen is None and "candidate" not in fields:
        fields["candidate"] = ["人事议题须明确提出一名最合适的人选，不能说“都合适”"]
    if chosen is not None and position != tally.AGREE:
        fields["candidate"] = ["只有同意时才提名人选"]
    if len(cands) == 1 and position == tally.AGREE and chosen is None:
        chosen = cands[0]
    if fields:
        raise UnclearStatement(detail={"fields": fields})
    return position, reason, chosen


def statement_digest(
    *, item: Item, member: str, seq: int, position: str, reason: str, candidate: str | None, salt: str
) -> str:
    body = {
        "item": item.pk,
        "member": member,
        "seq": seq,
        "position": position,
        "reason": reason,
        "candidate": candidate,
        "salt": salt,
    }
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


@transaction.atomic
def state(
    *, by: Person, item: Item, position: str | None, reason: str | None, candidate: str | None = None
) -> Statement:
    """R-MTG-3/4/5/9: the caller states their own position on an item (rules.statement_refusal says
    who may, when), explicitly and with reasons."""
    meeting = selectors.locked_meeting(item.meeting)
    item = Item.objects.select_related("presenter").get(pk=item.pk)
    item.meeting = meeting
    st = selectors.item_state(item)
    rules.ensure_state(by, item, st)
    position, reason, chosen = _clean_statement(st, position, reason, candidate)
    if not item.roll_frozen_at:
        # Hole 3: the first statement fixes who states on this item; later arrivals are late for it.
        item.roll, item.roll_frozen_at = sorted(st.present), clock.now()
        item.save(update_fields=["roll", "roll_frozen_at", "updated_at"])
    seq = len(st.statements) + 1
    salt = secrets.token_hex(16)
    digest = statement_digest(
        item=item,
        member=by.username,
        seq=seq,
        position=position,
        reason=reason,
        candidate=chosen.name if chosen else None,
        salt=salt,
    )
    statement = Statement.objects.create(
        item=item,
        person=by,
        seq=seq,
        position=position,
        reason=reason,
        candidate=chosen,
        counted=st.attending.get(by.pk) == AttendanceRole.MEMBER,  # the inspector states, uncounted
        salt=salt,
        digest=digest,
    )
    payload: dict[str, Any] = {
        "item": item.pk,
        "seq": seq,
        "member": by.username,
        "digest": digest,
        "counted": statement.counted,
    }
    if seq == 1:
        payload["roll"] = item.roll
    if not meeting.blind:  # blind statements enter the ledger as a commitment; the seal reveals them
        payload |= {"position": position, "reason": reason, "candidate": chosen.name if chosen else None}
    ledger.record("meeting.statement", by=by, unit=meeting.unit.code, subject=item.ref, payload=payload)
    return statement
