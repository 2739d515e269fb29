"""The caller of one request, resolved once: the roles they hold today in every unit, the units where they
are the legal officer, and per unit the joint-review panel. A data holder: it answers from the org and
matters selectors and decides nothing — the rules (rules.py) ask it, never the reverse.

Why: every matter answer carries its `actions` (rules.actions_for), and asking org/powers per matter
cost about a dozen queries each — a list of 50 matters cost hundreds. A Viewer answers the same
questions from a few queries per request, so lists cost a constant number of queries (asserted in
tests/test_queries.py). Services build a fresh Viewer per call, so a write never trusts stale data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import Role
from zhiheng.org.selectors import current_memberships_of

from . import conflicts, selectors
from .models import Matter


class Viewer:
    """Who is asking, with per-request caches. Build with `Viewer.of(person_or_viewer)`."""

    def __init__(self, person: Person, day: dt.date | None = None) -> None:
        self.person = person
        self.pk: int = person.pk
        self.day = day or clock.today()
        self._roles: dict[int, set[str]] | None = None
        self._legal_units: set[int] | None = None
        self._panels: dict[int, dict[int, str]] = {}
        self._names: dict[int, dict[int, str]] = {}
        self._visibility: selectors.Visibility | None = None
        self._ties: conflicts.Matcher | None = None

    @classmethod
    def of(cls, who: Person | Viewer) -> Viewer:
        return who if isinstance(who, Viewer) else cls(who)

    # ---------------------------------------------------------------- roles (org), one query

    def roles(self, unit_id: int) -> set[str]:
        """The roles held today in the unit: org.selectors.roles_of for every unit at once."""
        if self._roles is None:
            self._roles = defaultdict(set)
            rows = current_memberships_of(self.person, self.day).values_list("unit_id", "role")
            for unit_id_, role in rows:
                self._roles[unit_id_].add(role)
        return self._roles.get(unit_id, set())

    # ---------------------------------------------------------------- R-MAT-8 visibility, one query

    def visibility(self) -> selectors.Visibility:
        """What the caller may see (selectors.visibility_of), read once; the same read answers `roles`
        and `is_legal_officer`, so a list's visibility and its `actions` share one query."""
        if self._visibility is None:
            vis = selectors.visibility_of(self.person, self.day)
            self._visibility = vis
            if self._roles is None:
                self._roles = defaultdict(set, {unit: set(held) for unit, held in vis.roles.items()})
            if self._legal_units is None:
                self._legal_units = set(vis.legal_units)
        return self._visibility

    def is_principal(self, matter: Matter) -> bool:
        return Role.PRINCIPAL in self.roles(matter.unit_id)

    def declared_ties(self, matter: Matter) -> list[str]:
        """RF3: what the caller declared that ties them to the matter's counterparty (matters.conflicts);
        the declaration is opened once per request, and only for a matter with a counterparty."""
        if not matter.counterparty:
            return []
        if self._ties is None:
            self._ties = conflicts.matcher_for(self.person)
        return self._ties(matter.counterparty)

    def is_legal_officer(self, unit_id: int) -> bool:
        if self._legal_units is None:
            self._legal_units = set(selectors.legal_officer_units(self.person))
        return unit_id in self._legal_units

    # ---------------------------------------------------------------- restriction, frozen on the matter

    def is_restricted(self, matter: Matter) -> bool:
        """What powers.selectors.is_restricted answered on the submission day, frozen on the matter then
        (issue 9 hole 7): no query, and a later change of the power's category or of the unit's policy
        does not reach matters already submitted."""
        return matter.restricted

    # ---------------------------------------------------------------- joint-review panel, per unit

    def panel(self, matter: Matter) -> dict[int, str]:
        """selectors.joint_panel, with the unit's part (legal officer, inspectors) read once per unit."""
        base = self._panels.get(matter.unit_id)
        if base is None:
            base = selectors.joint_panel(matter, with_deputy=False)
            self._panels[matter.unit_id] = base
        return {matter.deputy_id: "deputy", **{k: v for k, v in base.items() if k != matter.deputy_id}}

    def panel_waiting(self, matter: Matter) -> list[str]:
        """selectors.joint_review_missing from the caches: usernames of the panel members who have given
        no opinion yet, sorted ([] when the matter needs no joint review). The opinions are the matter's
        (prefetched by the list selectors); the members' names are read once per unit."""
        if not matter.requires_joint_review:
            return []
        given = {o.member_id for o in selectors.opinions_of(matter)}
        missing = [pk for pk in self.panel(matter) if pk not in given]
        if not missing:
            return []
        names = self._names.get(matter.unit_id)
        if names is None:
            base = self._panels[matter.unit_id]  # read by self.panel above
            names = dict(Person.objects.filter(pk__in=base).values_list("pk", "username"))
            self._names[matter.unit_id] = names
        names = {**names, matter.deputy_id: matter.deputy.username}
        return sorted(names[pk] for pk in missing)

    def on_panel(self, matter: Matter) -> bool:
        """Membership of the panel without reading it: deputy, the unit's legal officer, or inspector."""
        return (
            self.pk == matter.deputy_id
            or self.is_legal_officer(matter.unit_id)
            or Role.INSPECTOR in self.roles(matter.unit_id)
        )
