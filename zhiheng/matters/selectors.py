"""Reads of the matters app: resolved rules, visibility (R-MAT-8), inboxes, budget lines."""

from __future__ import annotations

import dataclasses

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org.models import Membership, Role, Unit
from zhiheng.org.selectors import administered_districts, current

from .models import BudgetLine, Matter, MatterRules
from .requirements import DEFAULTS, MatterRulesValues
from .states import AWAITING_COLLECTIVE, MatterState

RULE_FIELDS = [f.name for f in dataclasses.fields(MatterRulesValues) if f.name != "legal_officer_id"]


def rules_with_sources(unit: Unit) -> tuple[MatterRulesValues, dict[str, str]]:
    """The unit's matter rules, field by field: unit override over district default over the SPEC's
    (code) default; and where each value comes from ("unit" / "district" / "default"). The legal
    officer is named on the unit row only (a district has no legal officer of its own)."""
    values = {f: getattr(DEFAULTS, f) for f in RULE_FIELDS}
    sources = dict.fromkeys([*RULE_FIELDS, "legal_officer"], "default")
    legal_officer_id = None
    rows = list(MatterRules.objects.filter(Q(district_id=unit.district_id) | Q(unit=unit)))
    # District row first, then the unit's (NULL ordering differs between SQLite and PostgreSQL).
    for row in sorted(rows, key=lambda r: r.unit_id is not None):
        source = "unit" if row.unit_id else "district"
        for f in RULE_FIELDS:
            value = getattr(row, f)
            if value is not None:
                values[f] = tuple(value) if isinstance(value, list) else value
                sources[f] = source
        if row.unit_id and row.legal_officer_id:
            legal_officer_id = row.legal_officer_id
            sources["legal_officer"] = "unit"
    return MatterRulesValues(**values, legal_officer_id=legal_officer_id), sources


def rules_for(unit: Unit) -> MatterRulesValues:
    """The unit's resolved matter rules (R-MAT-3/4/7), as the engine applies them at submission."""
    return rules_with_sources(unit)[0]


def _with_relations(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Everything a matter answer and its `actions` read, fetched with the page (no query per row)."""
    return qs.select_related(
        "unit", "power", "power__category", "submitted_by", "deputy", "decided_by", "budget_line"
    ).prefetch_related("cosigns__signer", "joint_opinions")


def visible_matters(person: Person) -> QuerySet[Matter]:
    """R-MAT-8 and the decision in docs/decisions/0005-matters-engine.md:
    - the leadership team (principal, every deputy, unit inspector) sees the unit's matters in full —
      deputies sit in the meetings that decide them, so they read them too;
    - staff see the matters they submitted, and those they must act on (co-sign, joint review);
    - commission admins see their district's matters."""
    if not person.is_authenticated:
        return Matter.objects.none()
    day = clock.today()
    terms = current(Membership.objects.filter(person=person), day)
    team_units = terms.filter(role__in=[Role.PRINCIPAL, Role.DEPUTY, Role.INSPECTOR]).values("unit_id")
    admin_of = administered_districts(person, day).values("pk")
    return Matter.objects.filter(
        Q(unit_id__in=team_units)
        | Q(unit__district__in=admin_of)
        | Q(submitted_by=person)
        | Q(deputy=person)
        | Q(cosigns__signer=person)
        | Q(unit__matter_rules__legal_officer=person, requires_joint_review=True)
    ).distinct()


def list_matters_for(
    person: Person, *, unit: str | None = None, state: str | None = None
) -> QuerySet[Matter]:
    qs = _with_relations(visible_matters(person))
    if unit:
        qs = qs.filter(unit__code=unit)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-submitted_at", "-pk")


def get_matter_for(person: Person, pk: int, *, full: bool = True) -> Matter:
    """404 alike for unknown and invisible matters. `full=False` before an action: the service locks and
    re-reads the row anyway, so the co-signs and opinions need not be fetched for it."""
    qs = visible_matters(person).filter(pk=pk)
    matter = (_with_relations(qs) if full else qs.select_related("unit")).first()
    if matter is None:
        raise NotFound()
    return matter


def list_awaiting_collective(unit: Unit) -> QuerySet[Matter]:
    """What a meeting may put on its agenda (R-MAT-3/6): matters in collective review, vetoed ones, and
    submitted ones that require collective review (the meeting refers them when it takes them up)."""
    return _with_relations(
        Matter.objects.filter(unit=unit).filter(
            Q(state__in=AWAITING_COLLECTIVE)
            | Q(state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW], requires_collective=True)
        )
    ).order_by("submitted_at", "pk")


def inbox_of(person: Person) -> QuerySet[Matter]:
    """What waits for this person's signature, oldest first: matters they decide, and co-signs."""
    waiting_decision = Q(deputy=person, state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW])
    waiting_cosign = Q(
        state=MatterState.AWAITING_COSIGN, cosigns__signer=person, cosigns__signed_at__isnull=True
    )
    waiting_review = Q(
        requires_joint_review=True,
        state__in=[MatterState.SUBMITTED, MatterState.JOINT_REVIEW],
        unit__matter_rules__legal_officer=person,
    )
    return (
        _with_relations(Matter.objects.filter(waiting_decision | waiting_cosign | waiting_review))
        .distinct()
        .order_by("submitted_at", "pk")
    )


def list_budget_lines(unit: Unit) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(unit=unit).order_by("code")


def history(matter: Matter) -> list:
    return list(matter.events.select_related("actor").order_by("at", "pk"))


def rules_table(unit: Unit | None = None, district=None) -> list[dict]:
    """The effective rules, field by field, with their source, for the pages and the API: a unit's (unit
    override / district default / SPEC default), or a district's (district default / SPEC default)."""
    from .configuration import FIELDS, LABELS

    if unit is not None:
        values, sources = rules_with_sources(unit)
        legal = Person.objects.filter(pk=values.legal_officer_id).first() if values.legal_officer_id else None
    else:
        row = MatterRules.objects.filter(district=district).first()
        values = DEFAULTS
        sources = dict.fromkeys(FIELDS, "default")
        if row is not None:
            for f in FIELDS:
                if getattr(row, f) is not None:
                    sources[f] = "district"
            values = dataclasses.replace(
                DEFAULTS,
                **{
                    f: (tuple(v) if isinstance(v, list) else v)
                    for f in FIELDS
                    if (v := getattr(row, f)) is not None
                },
            )
    table = [
        {"field": f, "label": LABELS[f], "value": getattr(values, f), "source": sources[f]} for f in FIELDS
    ]
    if unit is not None:
        table.append(
            {
                "field": "legal_officer",
                "label": LABELS["legal_officer"],
                "value": legal,
                "source": sources["legal_officer"],
            }
        )
    return table


def rules_history(*, unit: Unit | None = None, district=None, limit: int = 20) -> list:
    """The dated ledger acts that set these rules, newest first."""
    from zhiheng.ledger.selectors import list_entries

    from .configuration import rules_subject

    return list(
        list_entries(subject=rules_subject(unit=unit, district=district), event_type="matter.rules_set")[
            :limit
        ]
    )
