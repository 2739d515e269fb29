"""The formal minutes 会议纪要 of a sealed meeting as a document (issue 13 item 5): what the printable PDF
(web/pdf.py) shows, read from the same selectors as the minutes page (`selectors.meeting_state`,
`statements_visible_to`, `Item.decision_label`), with the document number and the ledger anchor a reader
verifies it by. Reads only; no layout here.

The document number 〔YYYY〕第N号 is the meeting's place among the unit's meetings sealed in the same
calendar year (Asia/Shanghai), in the order they were sealed: a seal is never undone and later seals
come after, so a reprint always carries the same number.

The anchor is the "meeting.sealed" ledger entry (it carries the minutes' SHA-256) and the first signed
checkpoint covering it — the one issued at the close (R-LED-2), or the next hourly one if that failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Refusal
from zhiheng.ledger import selectors as ledger_selectors
from zhiheng.org.models import Role
from zhiheng.web.labels import label
from zhiheng.web.pdf import letterhead_name

from . import selectors
from .models import AttendanceRole, Meeting, MeetingState

CHINESE_NUMERALS = "〇一二三四五六七八九"


class MinutesNotSealed(Refusal, Conflict):
    """R-MTG-7: only sealed minutes are formal minutes; an open meeting has no printable document."""

    default_rule = "R-MTG-7"
    default_message = "会议尚未闭会封存，还没有正式纪要；闭会后系统计票并封存入账本，方可打印纪要"


@dataclass(frozen=True)
class Statement:
    seq: int
    name: str
    position: str  # 同意 / 不同意 / 缓议
    reason: str
    candidate: str = ""
    counted: bool = True
    principal: bool = False  # the principal, who states last (R-MTG-3)


@dataclass(frozen=True)
class AgendaItem:
    heading: str  # 一、…
    title: str
    kind: str
    matter: int | None
    presenter: str
    recused: list[str]
    candidates: list[str]  # "name（推荐人：A、B）"
    statements: list[Statement]
    decision: str  # 通过 / 未通过 / 缓议 / 不足法定人数
    tally: str  # 同意 3，不同意 0，缓议 0
    winner: str
    deferred_reason: str
    effect: str = ""  # what the decision did to the matter (事项已批准 / 事项待会签 / …), in Chinese


@dataclass(frozen=True)
class Anchor:
    entry_index: int | None
    digest: str
    checkpoint_id: int | None = None
    checkpoint_size: int | None = None
    root_prefix: str = ""
    key_id: str = ""
    checkpoint_at: dt.datetime | None = None


@dataclass(frozen=True)
class MinutesDocument:
    meeting_id: int
    unit_name: str
    number: str  # 〔2026〕第3号
    title: str
    kind: str
    category: str
    date: dt.date
    place: str
    chair: str
    sealed_at: dt.datetime
    present: list[str]  # "name（role）"
    absent: list[str]
    inspectors: list[str]
    observers: list[str]
    items: list[AgendaItem]
    corrections: list[str]
    anchor: Anchor
    verify_path: str = ""  # set by the view: the entry's page with its inclusion proof
    extra: dict[str, str] = field(default_factory=dict)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (agenda headings; up to 99)."""
    if n < 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{CHINESE_NUMERALS[tens] if tens > 1 else ''}十{CHINESE_NUMERALS[ones] if ones else ''}"


def unit_full_name(meeting: Meeting) -> str:
    """The letterhead's name: the district's name before the unit's, once (江北区 + 区国税局 → 江北区国税局)."""
    return letterhead_name(meeting.unit.name, meeting.unit.district.name)


def document_number(meeting: Meeting) -> str:
    """〔YYYY〕第N号: the meeting's place among its unit's meetings sealed that year, in sealing order."""
    if meeting.sealed_at is None:
        raise MinutesNotSealed()
    sealed = meeting.sealed_at.astimezone(clock.SHANGHAI)
    start = dt.datetime(sealed.year, 1, 1, tzinfo=clock.SHANGHAI)
    end = dt.datetime(sealed.year + 1, 1, 1, tzinfo=clock.SHANGHAI)
    n = (
        Meeting.objects.filter(
            unit_id=meeting.unit_id, state=MeetingState.SEALED, sealed_at__gte=start, sealed_at__lt=end
        )
        .filter(Q(sealed_at__lt=meeting.sealed_at) | Q(sealed_at=meeting.sealed_at, pk__lte=meeting.pk))
        .count()
    )
    return f"〔{sealed.year}〕第{n}号"


def ledger_anchor(meeting: Meeting) -> Anchor:
    """The sealing entry and the first checkpoint covering it."""
    entry = ledger_selectors.list_entries(subject=meeting.ref, event_type="meeting.sealed").last()
    if entry is None:
        return Anchor(entry_index=None, digest=meeting.minutes_digest)
    checkpoint = ledger_selectors.list_checkpoints().filter(size__gt=entry.index).order_by("id").first()
    if checkpoint is None:
        return Anchor(entry_index=entry.index, digest=meeting.minutes_digest)
    return Anchor(
        entry_index=entry.index,
        digest=meeting.minutes_digest,
        checkpoint_id=checkpoint.pk,
        checkpoint_size=checkpoint.size,
        root_prefix=bytes(checkpoint.root).hex()[:16],
        key_id=checkpoint.key_id,
        checkpoint_at=checkpoint.timestamp,
    )


def minutes_document(meeting: Meeting, viewer: Person) -> MinutesDocument:
    """The formal minutes of a sealed meeting the viewer may read (the view fetched it with
    `selectors.get_meeting_for`, the minutes page's rule). Refuses an open meeting (R-MTG-7)."""
    if meeting.state != MeetingState.SEALED or meeting.sealed_at is None:
        raise MinutesNotSealed(detail={"meeting": meeting.pk, "state": meeting.state})
    facts = selectors.meeting_state(meeting)
    roles = {m.person_id: str(m.get_role_display()) for m in facts.terms}
    principals = {m.person_id for m in facts.terms if m.role == Role.PRINCIPAL}
    present_ids = {a.person_id for a in facts.attendance if a.role == AttendanceRole.MEMBER}
    present = [
        f"{a.person.name}（{roles.get(a.person_id, '班子成员')}）"
        for a in facts.attendance
        if a.role == AttendanceRole.MEMBER
    ]
    absent = [f"{p.name}（{roles.get(p.pk, '')}）" for p in facts.members if p.pk not in present_ids]
    inspectors = [a.person.name for a in facts.attendance if a.role == AttendanceRole.INSPECTOR]
    observers = [
        f"{a.person.name}（{a.invited_by.name}登记）"
        for a in facts.attendance
        if a.role == AttendanceRole.OBSERVER
    ]
    items = []
    for item in facts.items:
        st = facts.states[item.pk]
        names = {p.username: p.name for p in st.members}
        rows = selectors.statements_visible_to(item, viewer, st.statements)
        statements = [
            Statement(
                seq=r["seq"],
                name=r["name"],
                position=r["position_label"] or "",
                reason=r["reason"] or "",
                candidate=r["candidate"] or "",
                counted=r["counted"],
                principal=s.person_id in principals,
            )
            for r, s in zip(rows, st.statements, strict=True)
        ]
        candidates = [
            f"{c.name}（实名推荐：{'、'.join(r.recommender.name for r in c.recommendations.all()) or '无'}）"
            for c in item.candidates.all()
        ]
        items.append(
            AgendaItem(
                heading=f"{chinese_number(item.number)}、",
                title=item.title,
                kind=str(item.get_kind_display()),
                matter=item.matter_id,
                presenter=item.presenter.name if item.presenter else "",
                recused=[f"{names.get(u, u)}（{why}）" for u, why in st.recused.items()],
                candidates=candidates,
                statements=statements,
                decision=item.decision_label,
                tally=f"同意 {item.agree}，不同意 {item.disagree}，缓议 {item.defer}",
                winner=item.winner.name if item.winner else "",
                deferred_reason=item.deferred_reason,
                effect=label("matter.effect", item.effect),
            )
        )
    corrections = [
        f"{clock.local_date(c.created_at):%Y-%m-%d} {c.by.name}"
        f"{f'（议题{c.item.number}）' if c.item else ''}：{c.text}"
        for c in meeting.corrections.select_related("by", "item").order_by("pk")
    ]
    return MinutesDocument(
        meeting_id=meeting.pk,
        unit_name=unit_full_name(meeting),
        number=document_number(meeting),
        title=meeting.title or f"{meeting.get_kind_display()}纪要",
        kind=str(meeting.get_kind_display()),
        category=meeting.category,
        date=meeting.date,
        place=str(getattr(meeting, "place", "") or ""),
        chair=meeting.chair.name,
        sealed_at=meeting.sealed_at,
        present=present,
        absent=absent,
        inspectors=inspectors,
        observers=observers,
        items=items,
        corrections=corrections,
        anchor=ledger_anchor(meeting),
    )
