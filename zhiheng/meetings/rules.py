"""Who may do what with meetings, in one place (R-MTG-1/3/4/5/6/7/8/9, R-SUP-2).

Each use case has one `<verb>_refusal(person, obj)`: the first rule that refuses the person now, as
the `DomainError` to raise, or None — in the order the service checks. The two answers are built on
it, so they cannot disagree:

- `can_<verb>(person, obj) -> bool` for pages and the API's `actions`;
- `ensure_<verb>(by, obj) -> None` for services, raising the refusal (services call it again under
  their row lock, so tasks and admin obey the same rules).

The use cases:
- convene a meeting, put items on its agenda, record attendance (`manage`): the unit's principal,
  deputies and unit inspector holding a term on the meeting date (the team prepares its own meetings;
  the inspector because they attend every collective decision), while the meeting is open. Staff and
  the commission do not convene a unit's meeting.
- state on an item: an attending member (the unit inspector too in a working group, R-MTG-8), not
  late for the item, not recused, once; after every candidate is recommended (R-MTG-5) and in the
  speaking order (R-MTG-3). `statement_lock` is the part of that a member waits out (the room's locked
  control).
- recommend a candidate by name: any member of the unit (team or staff) while the meeting is open.
- defer an item, close the meeting: the chair (by default the principal) or the principal on the date.
- correct sealed minutes: the chair, the principal or the unit inspector.
- see a meeting: the unit's team (on the meeting date or today), the district's commission admins, and
  whoever was recorded at the meeting (observers included).
- walk into an open meeting unannounced (R-SUP-2): the district's inspection group.
"""

from __future__ import annotations

import datetime as dt

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Conflict, DomainError, Forbidden
from zhiheng.inspections import selectors as inspections
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import TEAM_ROLES, District, Role, Unit

from . import eligibility, selectors, tally
from .errors import (
    AlreadyStated,
    ItemDeferred,
    LateForItem,
    MeetingSealed,
    NotOnTeam,
    NotStarted,
    NotStatingMember,
    OutOfOrder,
    RecommendationsMissing,
    Recused,
    StatementLocked,
)
from .models import AttendanceRole, Item, Meeting, MeetingKind, MeetingState


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


# -- the meeting's own state ----------------------------------------------------------------------


def open_refusal(meeting: Meeting) -> MeetingSealed | None:
    """R-MTG-7: nothing sealed is edited."""
    if meeting.state != MeetingState.OPEN:
        return MeetingSealed(detail={"meeting": meeting.pk})
    return None


def ensure_open(meeting: Meeting) -> None:
    _raise(open_refusal(meeting))


def started_refusal(meeting: Meeting) -> NotStarted | None:
    """Attendance, statements and the close happen at the meeting, not before its date (hole 12)."""
    if meeting.date > clock.today():
        return NotStarted(f"会议定于{meeting.date.isoformat()}召开，尚未开始", {"meeting": meeting.pk})
    return None


def ensure_started(meeting: Meeting) -> None:
    _raise(started_refusal(meeting))


# -- convene and manage ---------------------------------------------------------------------------


def team_roles_on(person: Person, unit: Unit, day: dt.date) -> set[str]:
    return org.roles_of(person, unit, day) & set(TEAM_ROLES)


def can_convene(person: Person, unit: Unit, day: dt.date) -> bool:
    return bool(team_roles_on(person, unit, day))


def ensure_convene(by: Person, unit: Unit, day: dt.date) -> None:
    if not can_convene(by, unit, day):
        raise NotOnTeam(detail={"unit": unit.code})


def manage_refusal(person: Person, meeting: Meeting) -> DomainError | None:
    """Put items on the agenda, record attendance: the team on the date, while the meeting is open."""
    if not can_convene(person, meeting.unit, meeting.date):
        return NotOnTeam(detail={"unit": meeting.unit.code})
    return open_refusal(meeting)


def can_manage(person: Person, meeting: Meeting) -> bool:
    return manage_refusal(person, meeting) is None


def ensure_manage(by: Person, meeting: Meeting) -> None:
    _raise(manage_refusal(by, meeting))


# -- chair: defer an item, close the meeting ------------------------------------------------------


def is_chair(person: Person, meeting: Meeting, st: selectors.ItemState | None = None) -> bool:
    """The meeting's chair, or the unit's principal on the meeting date (read off an item's state when
    given: its voting terms on the date hold every principal's term)."""
    if person.pk == meeting.chair_id:
        return True
    if st is not None:
        return person.pk in st.principals
    return Role.PRINCIPAL in org.roles_of(person, meeting.unit, meeting.date)


def close_refusal(person: Person, meeting: Meeting) -> DomainError | None:
    if not is_chair(person, meeting):
        return Forbidden("R-MTG-1", "只有会议主持人（一把手）可以宣布闭会并封存纪要", {"meeting": meeting.pk})
    return open_refusal(meeting) or started_refusal(meeting)


def can_close(person: Person, meeting: Meeting) -> bool:
    return close_refusal(person, meeting) is None


def ensure_close(by: Person, meeting: Meeting) -> None:
    _raise(close_refusal(by, meeting))


def defer_refusal(person: Person, item: Item, st: selectors.ItemState | None = None) -> DomainError | None:
    """Issue 9 hole 2: the chair defers an item explicitly while present members have not all stated;
    once everyone has stated the tally decides."""
    meeting = item.meeting
    if not is_chair(person, meeting, st):
        return Forbidden("R-MTG-6", "只有会议主持人可以决定议题缓议", {"meeting": meeting.pk})
    refusal = open_refusal(meeting)
    if refusal is not None:
        return refusal
    if item.deferred_reason:
        return Conflict("R-MTG-6", "本议题已决定缓议", {"item": item.pk})
    st = st or selectors.item_state(item)
    if st.statements and not st.waiting_for:
        return Conflict("R-MTG-6", "出席成员已全部表态，议题由系统计票决定，不能再缓议", {"item": item.pk})
    return None


def can_defer(person: Person, item: Item, st: selectors.ItemState | None = None) -> bool:
    return defer_refusal(person, item, st) is None


def ensure_defer(by: Person, item: Item, st: selectors.ItemState | None = None) -> None:
    _raise(defer_refusal(by, item, st))


# -- corrections of sealed minutes ----------------------------------------------------------------


def correct_refusal(person: Person, meeting: Meeting) -> DomainError | None:
    """R-MTG-7: a correction is a new dated entry on sealed minutes, by the chair, principal or inspector."""
    roles = org.roles_of(person, meeting.unit, meeting.date) | org.roles_of(person, meeting.unit)
    if not (person.pk == meeting.chair_id or roles & {Role.PRINCIPAL, Role.INSPECTOR}):
        return Forbidden(
            "R-MTG-7", "只有会议主持人、一把手或纪检组长可以登记纪要更正", {"meeting": meeting.pk}
        )
    if meeting.state != MeetingState.SEALED:
        return Conflict("R-MTG-7", "会议尚未封存：更正只针对已封存的纪要", {"meeting": meeting.pk})
    return None


def can_correct(person: Person, meeting: Meeting) -> bool:
    return correct_refusal(person, meeting) is None


def ensure_correct(by: Person, meeting: Meeting) -> None:
    _raise(correct_refusal(by, meeting))


# -- seeing a meeting -----------------------------------------------------------------------------


def view_right(person: Person, meeting: Meeting) -> str | None:
    """Why the person may see the meeting: "team", "commission", "recorded" (on its attendance) or "check"
    (an inspection group's check on the unit, R-SUP-2: such reads are logged); None when they may not."""
    if not person.is_authenticated:
        return None
    unit = meeting.unit
    if team_roles_on(person, unit, meeting.date) or org.is_team_member(person, unit):
        return "team"
    if org_rules.is_commission_admin(person, unit.district):
        return "commission"
    if selectors.is_recorded_at(person, meeting):
        return "recorded"
    if inspections.active_inspection(person, unit.pk) is not None:
        return "check"
    return None


def can_view(person: Person, meeting: Meeting) -> bool:
    return view_right(person, meeting) is not None


# -- real-name recommendation (R-MTG-5) -----------------------------------------------------------


def recommend_refusal(person: Person, meeting: Meeting) -> DomainError | None:
    """Any member of the unit (team or staff) on the meeting date or today, while the meeting is open."""
    refusal = open_refusal(meeting)
    if refusal is not None:
        return refusal
    if not (org.roles_of(person, meeting.unit, meeting.date) or org.roles_of(person, meeting.unit)):
        return Forbidden("R-MTG-5", "只有本单位人员可以实名推荐", {"unit": meeting.unit.code})
    return None


def can_recommend(person: Person, item: Item, may: bool | None = None) -> bool:
    """The recommendation control of an item: the person may recommend, and the item has candidates.
    `may` is `recommend_refusal(person, item.meeting) is None` when a page already asked it for the
    meeting (it is the same for every item)."""
    if may is None:
        may = recommend_refusal(person, item.meeting) is None
    return may and item.candidates.exists()


def ensure_recommend(by: Person, meeting: Meeting) -> None:
    _raise(recommend_refusal(by, meeting))


# -- statements (R-MTG-1/3/4/5/6/8/9) -------------------------------------------------------------


def order_refusal(st: selectors.ItemState, speaker: Person) -> OutOfOrder | None:
    """R-MTG-3 for this speaker now: the deputy in charge first, the principal last."""
    presenter = st.item.presenter
    why = tally.speaking_order_violation(
        speaker=speaker.username,
        principal=st.principal.username if st.principal else None,
        presenter=presenter.username if presenter else None,
        voters=st.voters,
        stated=st.stated,
    )
    if why == "presenter-first" and presenter is not None:
        return OutOfOrder("分管副职须首先汇报并表态，其他成员随后发言", {"waiting_for": [presenter.username]})
    if why == "principal-last":
        waiting = sorted(st.voters - st.stated - {speaker.username})
        return OutOfOrder("一把手末位表态：须待其他出席成员全部表态后发言", {"waiting_for": waiting})
    return None


def statement_refusal(
    person: Person, item: Item, st: selectors.ItemState | None = None
) -> DomainError | None:
    """Why the person may not state on the item now, whatever they would say; None when they may.

    In order: the minutes are sealed (R-MTG-7), the meeting has not started (R-MTG-1), the chair deferred
    the item (R-MTG-6), the person is not an attending member — an observer never states; the unit
    inspector states in a working group, not counted (R-MTG-1/8) — they arrived after the item's roll
    was frozen (R-MTG-3), they are recused (R-MTG-9), they have stated already (R-MTG-4), a candidate
    has no real-name recommendation yet (R-MTG-5), it is not their turn (R-MTG-3)."""
    meeting = item.meeting
    refusal: DomainError | None = open_refusal(meeting) or started_refusal(meeting)
    if refusal is not None:
        return refusal
    if item.deferred_reason:
        return ItemDeferred(detail={"item": item.pk})
    st = st or selectors.item_state(item)
    role = st.attending.get(person.pk) if person.pk is not None else None
    wg_inspector = role == AttendanceRole.INSPECTOR and meeting.kind == MeetingKind.WORKING_GROUP
    if role != AttendanceRole.MEMBER and not wg_inspector:
        return NotStatingMember(detail={"member": person.username})
    if role == AttendanceRole.MEMBER and all(m.pk != person.pk for m in st.members):
        # Registered present, but their term on the team does not cover the meeting's date (e.g. it was
        # ended, back-dated, after the roll was taken): they neither state nor count, nor escape recusal.
        return NotStatingMember(
            "您在会议日期不是本单位领导班子成员，不能表态",
            {"member": person.username, "date": str(meeting.date)},
        )
    if person.username in st.late and not wg_inspector:
        return LateForItem(detail={"member": person.username, "roll": sorted(st.present)})
    if person.username in st.recused:
        code = st.recused[person.username]
        return Recused(
            f"您须回避本议题（{eligibility.RECUSAL_LABELS.get(code, code)}）",
            {"member": person.username, "reason": code},
        )
    if person.username in st.stated:
        return AlreadyStated(detail={"member": person.username})
    missing = selectors.unrecommended_candidates(item)
    if missing:
        return RecommendationsMissing(detail={"candidates": missing})
    return None if wg_inspector else order_refusal(st, person)


def can_state(person: Person, item: Item, st: selectors.ItemState | None = None) -> bool:
    return statement_refusal(person, item, st) is None


def ensure_state(by: Person, item: Item, st: selectors.ItemState | None = None) -> None:
    _raise(statement_refusal(by, item, st))


def statement_lock(
    person: Person, item: Item, st: selectors.ItemState | None = None
) -> StatementLocked | None:
    """The refusal a member entitled to state on the item meets now — late for it, recommendations
    missing, not their turn — shown as the locked control; None when they may state or have no
    statement to make here at all."""
    refusal = statement_refusal(person, item, st)
    return refusal if isinstance(refusal, StatementLocked) else None


def statement_control(
    person: Person, item: Item, st: selectors.ItemState | None = None
) -> tuple[bool, StatementLocked | None]:
    """`(can_state, statement_lock)` of the person on the item, from one evaluation of the refusal."""
    refusal = statement_refusal(person, item, st)
    return refusal is None, refusal if isinstance(refusal, StatementLocked) else None


# -- unannounced inspection (R-SUP-2) -------------------------------------------------------------


def is_inspection_member(person: Person, district: District) -> bool:
    return selectors.inspected_districts(person).filter(pk=district.pk).exists()


def observe_refusal(person: Person, meeting: Meeting) -> DomainError | None:
    if not is_inspection_member(person, meeting.unit.district):
        return Forbidden("R-SUP-2", "只有本区督察组成员可以不打招呼列席会议", {"meeting": meeting.pk})
    if meeting.state != MeetingState.OPEN:
        return MeetingSealed("会议已闭会封存，不能再列席", {"meeting": meeting.pk})
    return None


def can_observe(person: Person, meeting: Meeting) -> bool:
    """The walk-in control: an inspection member of the district, the meeting open, and not yet on its
    attendance (registering twice is harmless — the service returns the existing row)."""
    return observe_refusal(person, meeting) is None and not selectors.is_recorded_at(person, meeting)


def ensure_observe(by: Person, meeting: Meeting) -> None:
    _raise(observe_refusal(by, meeting))
