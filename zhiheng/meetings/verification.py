"""Re-derive every sealed meeting's minutes from its rows (R-MTG-7, issue 9 hole 10).

The database refuses edits of a sealed meeting's rows (guard.py), but someone with the database
owner's rights can lift a trigger. So `zhiheng ledger verify` also rebuilds each sealed meeting's
minutes from the rows as they are now — with the same `item_record`/`minutes_digest` the close used —
and compares them with what was sealed: the meeting's stored digest, the digest in the ledger's
"meeting.sealed" entry, and each item's "meeting.item_decided" entry. Any difference is named.
"""

from __future__ import annotations

from zhiheng.ledger import selectors as ledger_selectors

from .models import Meeting, MeetingState
from .sealing import item_record, minutes_digest


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
