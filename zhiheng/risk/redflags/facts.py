"""The database as the plain values the red flags judge (`zhiheng.risk.indicators`): one unit's matters,
waits, budget lines, sealed items, plans and thresholds. Reads only; each function takes a unit (or a
district) and an optional narrower scope for the event path, and costs a bounded number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from zhiheng import parameters
from zhiheng.core import clock
from zhiheng.matters.models import BudgetLine, Cosign, Matter
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.org.models import District, Unit
from zhiheng.powers.models import Assignment, DivisionPlan, FilingDeadline, PlanStatus
from zhiheng.powers.selectors import incompatible_pairs, plan_in_force

from ..indicators import ItemFact, MatterFact, PlanFact, Thresholds, WaitFact
from ..indicators.common import SPENDING_KINDS, SPENT_STATES
from ..parameters import NAMESPACE, thresholds

MATTER_FIELDS = (
    "pk",
    "kind",
    "title",
    "amount",
    "counterparty",
    "submitted_at",
    "state",
    "deputy__username",
    "decided_at",
    "decided_by__username",
    "budget_line__code",
    "requires_collective",
    "decision_ref",
    "unit__code",
)
# Still waiting for the deputy's decision (R-MAT-1): measured to "now" by RF7.
UNDECIDED = ("submitted", "joint_review")


def thresholds_of(unit: Unit) -> Thresholds:
    return thresholds(
        parameters.effective(NAMESPACE, unit).values, parameters.effective("matters", unit).values
    )


def _matter(row: tuple[Any, ...]) -> MatterFact:
    (
        pk,
        kind,
        title,
        amount,
        party,
        submitted,
        state,
        deputy,
        decided,
        decider,
        line,
        collective,
        ref,
        unit,
    ) = row
    return MatterFact(
        id=pk,
        unit=unit,
        kind=kind,
        title=title,
        amount=amount,
        counterparty=party,
        submitted_at=submitted.astimezone(clock.SHANGHAI),
        state=state,
        deputy=deputy or "",
        decided_at=decided.astimezone(clock.SHANGHAI) if decided else None,
        decided_by=decider or "",
        budget_line=line or "",
        requires_collective=collective,
        decision_ref=ref,
    )


def matters(
    unit: Unit,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    years: Iterable[int] = (),
    ids: Iterable[int] = (),
    line: str = "",
) -> list[MatterFact]:
    """The unit's matters, oldest first: all, or those submitted in [since, until], in `years`, with
    `ids`, or citing the budget line `line`."""
    qs = Matter.objects.filter(unit=unit)
    if line:
        qs = qs.filter(budget_line__code=line)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    if until is not None:
        qs = qs.filter(submitted_at__lte=until)
    years = sorted(set(years))
    if years:
        qs = qs.filter(
            submitted_at__gte=clock.at(dt.date(years[0], 1, 1), 0),
            submitted_at__lt=clock.at(dt.date(years[-1] + 1, 1, 1), 0),
        )
    ids = list(ids)
    if ids:
        qs = qs.filter(pk__in=ids)
    return [_matter(row) for row in qs.order_by("submitted_at", "pk").values_list(*MATTER_FIELDS)]


def _local(moment: dt.datetime | None) -> Any:
    return moment.astimezone(clock.SHANGHAI) if moment is not None else None


def waits(unit: Unit, *, matter_ids: Iterable[int] | None = None) -> list[WaitFact]:
    """Every wait for one signer in the unit (RF7): the deciding deputy from submission (matters decided by
    one signature, not by a meeting), each co-signer from the decision."""
    qs = Matter.objects.filter(unit=unit, requires_collective=False)
    cosigns = Cosign.objects.filter(matter__unit=unit, matter__decided_at__isnull=False)
    if matter_ids is not None:
        ids = list(matter_ids)
        qs, cosigns = qs.filter(pk__in=ids), cosigns.filter(matter_id__in=ids)
    found: list[WaitFact] = []
    rows = qs.filter(Q(decided_at__isnull=False) | Q(state__in=UNDECIDED)).values_list(
        "pk", "deputy__username", "submitted_at", "decided_at", "title", "deputy__name"
    )
    for pk, deputy, submitted, decided, title, name in rows.order_by("pk"):
        found.append(
            WaitFact(pk, unit.code, deputy, "decide", _local(submitted), _local(decided), title, name)
        )
    signatures = cosigns.exclude(Q(signed_at__isnull=True) & Q(matter__state="withdrawn")).values_list(
        "matter_id", "signer__username", "matter__decided_at", "signed_at", "matter__title", "signer__name"
    )
    for pk, signer, decided, signed, title, name in signatures.order_by("matter_id", "pk"):
        found.append(WaitFact(pk, unit.code, signer, "cosign", _local(decided), _local(signed), title, name))
    return found


def budget_lines(unit: Unit) -> dict[str, Decimal]:
    return dict(BudgetLine.objects.filter(unit=unit).values_list("code", "amount"))


def budget_years(unit: Unit) -> set[int | None]:
    """The years the unit declared budget lines for (None: a line without a year)."""
    return set(BudgetLine.objects.filter(unit=unit).values_list("year", flat=True).distinct())


def sealed_decisions(unit: Unit, *, items: Iterable[int] | None = None) -> set[str]:
    """The refs of the items that sealed meetings of the unit passed or rejected ("meeting:<m>/item:<i>");
    with `items`, among those item ids only."""
    qs = Item.objects.filter(
        meeting__unit=unit, meeting__state=MeetingState.SEALED, decision__in=("passed", "rejected")
    )
    if items is not None:
        qs = qs.filter(pk__in=list(items))
    return {f"meeting:{m}/item:{i}" for m, i in qs.values_list("meeting_id", "pk")}


def line_spent(unit: Unit, line: str) -> Decimal:
    """What the unit's committed spending matters citing `line` add up to (RF8), in one aggregate."""
    from django.db.models import Sum

    total = Matter.objects.filter(
        unit=unit, budget_line__code=line, kind__in=SPENDING_KINDS, state__in=SPENT_STATES
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _share(rules: dict[str, Any], key: str, default: tuple[int, int, bool]) -> tuple[int, int, bool]:
    share = rules.get(key)
    return (share["num"], share["den"], bool(share["strict"])) if share else default


def sealed_items(unit: Unit, *, meeting: int | None = None) -> list[ItemFact]:
    """The unit's sealed items with the attendance the close froze on them (Item.facts) and the quorum of
    the meeting's rules."""
    qs = Item.objects.filter(meeting__unit=unit, meeting__state=MeetingState.SEALED)
    if meeting is not None:
        qs = qs.filter(meeting_id=meeting)
    found = []
    for pk, meeting_id, title, decision, kind, facts, rules in qs.values_list(
        "pk", "meeting_id", "title", "decision", "kind", "facts", "meeting__rules"
    ).order_by("pk"):
        facts, rules = facts or {}, rules or {}
        if "team" not in facts:  # sealed before the close froze its facts: nothing to re-check
            continue
        eligible = set(facts["team"]) - set(facts.get("recused") or {})
        personnel = kind == "personnel"
        quorum = (
            _share(rules, "personnel_quorum", (2, 3, False))
            if personnel
            else _share(rules, "quorum", (1, 2, True))
        )
        found.append(
            ItemFact(
                meeting=meeting_id,
                item=pk,
                unit=unit.code,
                title=title,
                decision=decision,
                eligible=len(eligible),
                present=len(eligible & set(facts.get("present") or [])),
                personnel=personnel,
                quorum=quorum,
            )
        )
    return found


def _plan(plan: DivisionPlan) -> PlanFact:
    rows = Assignment.objects.filter(plan=plan).values_list(
        "power__code", "power__category__code", "deputy__username"
    )
    return PlanFact(
        unit=plan.unit.code,
        version=plan.version,
        in_force_from=plan.in_force_from or clock.today(),
        assignments=tuple(sorted(rows)),
        filed_on=clock.local_date(plan.filed_at) if plan.filed_at else None,
    )


def plans(unit: Unit, day: dt.date) -> list[PlanFact]:
    """The filed plans in force on `day` or coming into force later (RF11 judges both)."""
    found = []
    in_force = plan_in_force(unit, day)
    if in_force is not None:
        found.append(_plan(in_force))
    later = DivisionPlan.objects.filter(unit=unit, status=PlanStatus.FILED, in_force_from__gt=day)
    found.extend(_plan(p) for p in later.select_related("unit").order_by("version"))
    return found


def pairs(district: District, day: dt.date) -> list[tuple[str, str]]:
    return incompatible_pairs(district, day)


def filing_rounds(unit: Unit, day: dt.date) -> list[tuple[FilingDeadline, dt.date | None]]:
    """The district's filing rounds already due on `day`, each with the date of the unit's first filing
    that answered it (R-DIV-5), or None."""
    rounds = FilingDeadline.objects.filter(district_id=unit.district_id, due__lt=day).order_by("due", "pk")
    first: dict[int, dt.datetime] = {}
    answered = DivisionPlan.objects.filter(unit=unit, status=PlanStatus.FILED, deadline__isnull=False)
    for deadline_id, filed_at in answered.order_by("filed_at").values_list("deadline_id", "filed_at"):
        if filed_at is not None:
            first.setdefault(deadline_id, filed_at)
    return [(d, clock.local_date(first[d.pk]) if d.pk in first else None) for d in rounds]
