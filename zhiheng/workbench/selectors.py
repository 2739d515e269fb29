"""Reads of the 工作台: "what needs me, and what should worry me", per role (issue 13).

The workbench decides nothing about visibility. Every read starts from the owning app's own answer to
"what may this person see" — `matters.selectors.visible_matters` (R-MAT-8), `meetings.selectors
.list_meetings_for` / `open_meetings_for` (R-MTG-1, R-SUP-2), `risk.selectors.list_warnings_for`
(R-GATE-7), `powers.selectors.filing_board` behind `powers.rules.can_view_board` (R-DIV-5) — and only
narrows, counts and groups it. On top of that one rule of its own: nobody is shown the warnings raised on
a unit they lead as its principal (SPEC §1: the principal is the one supervised).

Every function costs a fixed number of queries, whatever the number of matters, meetings or warnings:
counts and sums are grouped in the database, lists are sliced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, QuerySet, Sum
from django.db.models.functions import TruncMonth

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.matters import selectors as matter_selectors
from zhiheng.matters.models import Cosign, Matter, MatterEvent
from zhiheng.matters.selectors import Visibility
from zhiheng.matters.states import CLOSED, UNDECIDED, MatterState
from zhiheng.meetings import selectors as meeting_selectors
from zhiheng.meetings.models import Item, Meeting, MeetingState
from zhiheng.org import selectors as org
from zhiheng.org.models import District, DistrictRoleKind, Membership, Role, Unit
from zhiheng.powers import rules as power_rules
from zhiheng.powers import selectors as power_selectors
from zhiheng.powers.models import Power
from zhiheng.risk import selectors as risk_selectors
from zhiheng.risk.models import Warning, WarningStatus

MONTHS = 12


# ---------------------------------------------------------------- who holds which role, today


@dataclass(frozen=True)
class Roles:
    """The roles a person holds today: unit terms (role, unit) and district roles (role, district)."""

    terms: list[Membership]
    district_roles: list[tuple[str, District]]

    def units_as(self, role: str) -> list[Unit]:
        return [m.unit for m in self.terms if m.role == role]

    def districts_as(self, role: str) -> list[District]:
        return [d for r, d in self.district_roles if r == role]

    @property
    def principal_units(self) -> set[int]:
        return {m.unit_id for m in self.terms if m.role == Role.PRINCIPAL}


def roles_of(person: Person, day: dt.date | None = None) -> Roles:
    """Two queries: the person's terms of office and district roles on the day (default today)."""
    terms = list(org.current_memberships_of(person, day).select_related("unit", "unit__district"))
    district_roles = [
        (r.role, r.district) for r in org.district_roles_of(person, day).order_by("district__code", "role")
    ]
    return Roles(terms=terms, district_roles=district_roles)


# ---------------------------------------------------------------- months of the last year


def months_back(today: dt.date, n: int = MONTHS) -> list[dt.date]:
    """The first days of the last `n` months, oldest first, ending with today's month."""
    first = today.replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _month(value: dt.datetime | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.SHANGHAI).date()
    return value.replace(day=1)


def _since(today: dt.date) -> dt.datetime:
    return clock.at(months_back(today)[0], 0)


# ---------------------------------------------------------------- warnings (R-GATE-7)


def warnings_for(person: Person, roles: Roles) -> QuerySet[Warning]:
    """The warnings the risk app lets the person see, minus those of any unit they lead as principal
    today: a principal who is also a supervisor elsewhere never reads the warnings about themself."""
    qs = risk_selectors.list_warnings_for(person)
    if roles.principal_units:
        qs = qs.exclude(unit_id__in=sorted(roles.principal_units))
    return qs


@dataclass
class WarningCounts:
    """Open warnings grouped by unit and level; RF1 counted apart (the principal's attempts)."""

    by_level: dict[str, int] = field(default_factory=dict)
    by_unit: list[dict[str, Any]] = field(
        default_factory=list
    )  # {"unit", "name", "high", "medium", "low", "total"}
    by_rule: dict[str, int] = field(default_factory=dict)
    open_total: int = 0
    rf1_total: int = 0


def warning_counts(qs: QuerySet[Warning]) -> WarningCounts:
    """One query: counts of `qs` by unit, level, rule and status."""
    out = WarningCounts()
    units: dict[str, dict[str, Any]] = {}
    rows = qs.order_by().values("unit__code", "unit__name", "level", "rule", "status").annotate(n=Count("pk"))
    for row in rows:
        n = row["n"]
        if row["rule"] == "RF1":
            out.rf1_total += n
        if row["status"] != WarningStatus.OPEN:
            continue
        out.open_total += n
        out.by_level[row["level"]] = out.by_level.get(row["level"], 0) + n
        out.by_rule[row["rule"]] = out.by_rule.get(row["rule"], 0) + n
        unit = units.setdefault(
            row["unit__code"],
            {
                "unit": row["unit__code"],
                "name": row["unit__name"],
                "high": 0,
                "medium": 0,
                "low": 0,
                "total": 0,
            },
        )
        unit[row["level"]] = unit.get(row["level"], 0) + n
        unit["total"] += n
    out.by_unit = sorted(units.values(), key=lambda u: (-u["high"], -u["total"], u["unit"]))
    return out


def warnings_by_month(qs: QuerySet[Warning], today: dt.date) -> tuple[list[dt.date], list[int], list[int]]:
    """Two queries: warnings raised and resolved in each of the last twelve months."""
    months = months_back(today)
    since = _since(today)

    def per_month(field: str) -> list[int]:
        counts = {
            _month(r["m"]): r["n"]
            for r in qs.filter(**{f"{field}__gte": since})
            .order_by()
            .annotate(m=TruncMonth(field, tzinfo=clock.SHANGHAI))
            .values("m")
            .annotate(n=Count("pk"))
        }
        return [counts.get(m, 0) for m in months]

    return months, per_month("created"), per_month("resolved_at")


def latest_warnings(qs: QuerySet[Warning], *, rule: str | None = None, limit: int = 5) -> list[Warning]:
    if rule:
        qs = qs.filter(rule=rule)
    return list(qs.select_related("unit")[:limit])


# ---------------------------------------------------------------- matters (R-MAT-8 visibility)


def visible(vis: Visibility) -> QuerySet[Matter]:
    return matter_selectors.visible_matters(vis)


def counts_by_state(qs: QuerySet[Matter]) -> dict[str, int]:
    """One query: how many matters of `qs` are in each state."""
    return {r["state"]: r["n"] for r in qs.order_by().values("state").annotate(n=Count("pk"))}


@dataclass(frozen=True)
class DeputyLoad:
    username: str
    name: str
    count: int
    amount: Decimal


def by_deputy(qs: QuerySet[Matter]) -> list[DeputyLoad]:
    """One query: matters and amounts of `qs` per deputy in charge, most first."""
    rows = (
        qs.order_by()
        .values("deputy__username", "deputy__name")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("-n", "deputy__username")
    )
    return [
        DeputyLoad(
            r["deputy__username"],
            r["deputy__name"] or r["deputy__username"],
            r["n"],
            r["total"] or Decimal(0),
        )
        for r in rows
    ]


@dataclass
class MonthlySeries:
    """Matters and amounts per month of the last year, per key (a deputy's name, or one series)."""

    months: list[dt.date]
    keys: list[str]
    counts: dict[str, list[int]]
    amounts: dict[str, list[Decimal]]


def monthly(qs: QuerySet[Matter], today: dt.date, *, per_deputy: bool) -> MonthlySeries:
    """One query: matters submitted in each of the last twelve months (per deputy in charge or all)."""
    months = months_back(today)
    group = ["m", "deputy__name", "deputy__username"] if per_deputy else ["m"]
    rows = (
        qs.filter(submitted_at__gte=_since(today))
        .order_by()
        .annotate(m=TruncMonth("submitted_at", tzinfo=clock.SHANGHAI))
        .values(*group)
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    counts: dict[str, dict[dt.date, int]] = {}
    amounts: dict[str, dict[dt.date, Decimal]] = {}
    for r in rows:
        key = (r["deputy__name"] or r["deputy__username"]) if per_deputy else ""
        month = _month(r["m"])
        if month is None:
            continue
        counts.setdefault(key, {})[month] = r["n"]
        amounts.setdefault(key, {})[month] = r["total"] or Decimal(0)
    keys = sorted(counts) if per_deputy else [""]
    return MonthlySeries(
        months=months,
        keys=keys,
        counts={k: [counts.get(k, {}).get(m, 0) for m in months] for k in keys},
        amounts={k: [amounts.get(k, {}).get(m, Decimal(0)) for m in months] for k in keys},
    )


def counts_by_unit(qs: QuerySet[Matter]) -> list[tuple[str, str, int]]:
    """One query: (unit code, unit name, count) of `qs`, most first."""
    rows = (
        qs.order_by().values("unit__code", "unit__name").annotate(n=Count("pk")).order_by("-n", "unit__code")
    )
    return [(r["unit__code"], r["unit__name"], r["n"]) for r in rows]


def inbox(person: Person) -> QuerySet[Matter]:
    """What waits for the person's signature, oldest first (matters.selectors.inbox_of)."""
    return matter_selectors.inbox_of(person)


def awaiting_collective(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """What awaits the team (R-MAT-3/6): matters.selectors.awaiting_collective, the same predicate as the
    list behind the count (`/matters/units/<code>/?awaiting=collective`)."""
    return matter_selectors.awaiting_collective(qs)


def submitted_by(qs: QuerySet[Matter], person: Person, *, open_only: bool = False) -> QuerySet[Matter]:
    """The person's own matters (still in progress): matters.selectors.submitted_by, the same predicate
    as the list behind the count (`?mine=1`, `&open=1`)."""
    return matter_selectors.submitted_by(qs, person, open_only=open_only)


def in_joint_review(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Enforcement matters in or awaiting their joint review (R-MAT-7)."""
    return qs.filter(requires_joint_review=True, state__in=sorted(UNDECIDED))


@dataclass(frozen=True)
class Wait:
    """A matter waiting for signatures: the deputy's decision (R-MAT-2) or missing co-signatures
    (R-MAT-4), whose, since when."""

    matter: Matter
    signers: list[Person]
    kind: str  # "decision" | "cosign"
    since: dt.datetime
    days: int


@dataclass(frozen=True)
class SignerWait:
    username: str
    name: str
    unit: str
    kind: str
    count: int
    longest_days: int


def days_since(since: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, (now - since).days) if since else 0


def longest_waits(qs: QuerySet[Matter], now: dt.datetime, limit: int = 8) -> list[Wait]:
    """Two queries: the matters of `qs` waiting longest for a signature — the deputy's decision (submitted,
    no meeting needed) or the missing co-signatures — the seed's "twenty visits for one signature"."""
    decisions = (
        qs.filter(state__in=sorted(UNDECIDED), requires_collective=False)
        .select_related("unit", "deputy")
        .order_by("submitted_at", "pk")[:limit]
    )
    waits = []
    for m in decisions:
        waited = matter_selectors.waiting(m, now)  # as the inbox counts it
        waits.append(Wait(m, [m.deputy], "decision", waited.since, waited.days))
    oldest = list(
        qs.filter(state=MatterState.AWAITING_COSIGN)
        .select_related("unit")
        .order_by("decided_at", "submitted_at", "pk")[:limit]
    )
    missing: dict[int, list[Person]] = {}
    for c in (
        Cosign.objects.filter(signed_at__isnull=True, matter__in=[m.pk for m in oldest])
        .select_related("signer")
        .order_by("pk")
    ):
        missing.setdefault(c.matter_id, []).append(c.signer)
    for m in oldest:
        waited = matter_selectors.waiting(m, now)
        if missing.get(m.pk):
            waits.append(Wait(m, missing[m.pk], "cosign", waited.since, waited.days))
    return sorted(waits, key=lambda w: (-w.days, w.matter.pk))[:limit]


def slowest_decisions(qs: QuerySet[Matter], today: dt.date, limit: int = 5) -> list[tuple[Matter, int]]:
    """One query: the matters of `qs` decided in the last twelve months that had waited longest for their
    decision (days from submission), longest first — a wait that ended still tells its story."""
    rows = (
        qs.filter(decided_at__gte=_since(today))
        .annotate(waited=F("decided_at") - F("submitted_at"))
        .select_related("unit", "decided_by")
        .order_by("-waited", "pk")[:limit]
    )
    return [(m, days_since(m.submitted_at, m.decided_at)) for m in rows if m.decided_at]


def waits_by_signer(qs: QuerySet[Matter], now: dt.datetime) -> list[SignerWait]:
    """Two queries: per signer (and unit), how many matters wait for them and the longest wait in days."""
    out = []
    for r in (
        qs.filter(state__in=sorted(UNDECIDED), requires_collective=False)
        .order_by()
        .values("deputy__username", "deputy__name", "unit__code")
        .annotate(n=Count("pk"), oldest=Min("submitted_at"))
    ):
        out.append(
            SignerWait(
                r["deputy__username"],
                r["deputy__name"],
                r["unit__code"],
                "decision",
                r["n"],
                days_since(r["oldest"], now),
            )
        )
    for r in (
        Cosign.objects.filter(
            signed_at__isnull=True,
            matter__in=qs.filter(state=MatterState.AWAITING_COSIGN).values("pk"),
        )
        .order_by()
        .values("signer__username", "signer__name", "matter__unit__code")
        .annotate(n=Count("pk"), oldest=Min("matter__decided_at"), first=Min("matter__submitted_at"))
    ):
        since = r["oldest"] or r["first"]
        out.append(
            SignerWait(
                r["signer__username"],
                r["signer__name"],
                r["matter__unit__code"],
                "cosign",
                r["n"],
                days_since(since, now),
            )
        )
    return sorted(out, key=lambda s: (-s.longest_days, s.username))


def vetoes_by(person: Person, qs: QuerySet[Matter], limit: int = 5) -> tuple[int, list[MatterEvent]]:
    """Two queries: how many matters of `qs` this person vetoed (R-MAT-6) — matters.selectors.vetoed_by,
    the list behind the count (`?vetoed_by=me`) — and their latest vetoes."""
    vetoed = matter_selectors.vetoed_by(qs, person)
    events = MatterEvent.objects.filter(actor=person, action="vetoed", matter__in=vetoed.values("pk"))
    return vetoed.count(), list(events.select_related("matter").order_by("-at", "-pk")[:limit])


def my_matters(qs: QuerySet[Matter], person: Person, limit: int = 12) -> list[Matter]:
    """Three to four queries: the person's own open matters first (then the latest closed ones), with
    deputies, co-signers and opinions to say what each waits for."""
    own = qs.filter(submitted_by=person)
    rows = list(
        matter_selectors.page_rows(own.exclude(state__in=sorted(CLOSED))).order_by("submitted_at", "pk")[
            :limit
        ]
    )
    if len(rows) < limit:
        rows += list(
            matter_selectors.page_rows(own.filter(state__in=sorted(CLOSED))).order_by("-submitted_at", "-pk")[
                : limit - len(rows)
            ]
        )
    return matter_selectors.with_relations(rows)


def budget_lines_of(person: Person, unit: Unit, qs: QuerySet[Matter], today: dt.date) -> list[dict[str, Any]]:
    """Two queries: the unit's budget lines the person's matters cite (R-MAT-5), with what those matters
    amount to over the last year."""
    mine = qs.filter(deputy=person, unit=unit, budget_line__isnull=False)
    used = {
        r["budget_line"]: r
        for r in mine.filter(submitted_at__gte=_since(today))
        .order_by()
        .values("budget_line")
        .annotate(n=Count("pk"), total=Sum("amount"))
    }
    ids = set(mine.order_by().values_list("budget_line", flat=True).distinct())
    lines = matter_selectors.list_budget_lines(unit).filter(pk__in=sorted(ids | set(used)))
    return [
        {
            "line": line,
            "count": used.get(line.pk, {}).get("n", 0),
            "total": used.get(line.pk, {}).get("total") or Decimal(0),
        }
        for line in lines
    ]


# ---------------------------------------------------------------- meetings (R-MTG)


def unit_meetings(person: Person, unit: Unit) -> QuerySet[Meeting]:
    """The unit's meetings the person may see (meetings.selectors.list_meetings_for)."""
    return meeting_selectors.list_meetings_for(person, unit)


def open_meetings(person: Person, unit: Unit | None = None) -> QuerySet[Meeting]:
    """The open meetings the person may see (meetings.selectors.list_meetings_for)."""
    return meeting_selectors.list_meetings_for(person, unit).filter(state=MeetingState.OPEN)


def items_to_state(person: Person, meetings: Iterable[Meeting]) -> dict[int, int]:
    """One query: per open meeting, the undecided items the person has not stated on yet (R-MTG-3/4)."""
    return item_counts(meetings, unstated_by=person)


def item_counts(meetings: Iterable[Meeting], *, unstated_by: Person | None = None) -> dict[int, int]:
    """One query: undecided items per meeting (only those `unstated_by` has not stated on, if given)."""
    ids = [m.pk for m in meetings]
    if not ids:
        return {}
    items = Item.objects.filter(meeting_id__in=ids, decision="")
    if unstated_by is not None:
        items = items.exclude(statements__person=unstated_by)
    rows = items.order_by().values("meeting_id").annotate(n=Count("pk"))
    return {r["meeting_id"]: r["n"] for r in rows}


def meetings_by_month(qs: QuerySet[Meeting], today: dt.date) -> list[int]:
    """One query: the meetings of `qs` held in each of the last twelve months (`months_back`)."""
    months = months_back(today)
    rows = (
        Meeting.objects.filter(pk__in=qs.order_by().values("pk"), date__gte=months[0])
        .order_by()
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    counts = {_month(r["m"]): r["n"] for r in rows}
    return [counts.get(m, 0) for m in months]


def observable(person: Person, district: District) -> QuerySet[Meeting]:
    """Open meetings of a district the person's inspection group may walk into (R-SUP-2)."""
    return meeting_selectors.open_meetings_for(person).filter(unit__district=district)


def observed_ids(person: Person, meetings: Iterable[Meeting]) -> set[int]:
    """One query: which of these meetings the person is already on the attendance of."""
    ids = [m.pk for m in meetings]
    if not ids:
        return set()
    return set(
        Meeting.objects.filter(pk__in=ids, attendance__person=person).values_list("pk", flat=True).distinct()
    )


def units_of(district: District) -> list[Unit]:
    """The active units of a district (what its inspection group may check, R-SUP-2)."""
    return list(Unit.objects.filter(district=district, is_active=True).order_by("code"))


def open_meetings_per_unit(qs: QuerySet[Meeting]) -> dict[int, int]:
    return {r["unit_id"]: r["n"] for r in qs.order_by().values("unit_id").annotate(n=Count("pk"))}


# ---------------------------------------------------------------- division plans (R-DIV-5)


def filing(person: Person, district: District) -> tuple[Any, list[dict[str, Any]]]:
    """Three queries: the district's open filing round and its board, for the commission's admins only
    (powers.rules.can_view_board); ([], None) for anyone else."""
    if not power_rules.can_view_board(person, district):
        return None, []
    deadline = power_selectors.open_deadline(district)
    return deadline, power_selectors.filing_board(district, deadline)


# ---------------------------------------------------------------- powers (R-DIV)


def powers_of(person: Person, unit: Unit) -> list[Power]:
    """The powers the person is in charge of in the unit today (powers is THE authority)."""
    return list(power_selectors.powers_held_by(person, unit))


DISTRICT_ADMIN = DistrictRoleKind.COMMISSION_ADMIN
DISTRICT_INSPECTION = DistrictRoleKind.INSPECTION
