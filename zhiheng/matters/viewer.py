"""The caller of one request, resolved once: the roles they hold today in every unit, the units where they
are the legal officer, and per unit the joint-review panel (a matter's restriction is frozen on it).

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
from zhiheng.org.models import Membership, Role
from zhiheng.org.selectors import current

from .models import Matter, MatterRules


class Viewer:
    """Who is asking, with per-request caches. Build with `Viewer.of(person_or_viewer)`."""

    def __init__(self, person: Person, day: dt.date | None = None) -> None:
        self.person = person
        self.pk = person.pk
        self.day = day or clock.today()
        self._roles: dict[int, set[str]] | None = None
        self._legal_units: set[int] | None = None
        self._panels: dict[int, dict[int, str]] = {}

    @classmethod
    def of(cls, who: Person | Viewer) -> Viewer:
        return who if isinstance(who, Viewer) else cls(who)

    # ---------------------------------------------------------------- roles (org), one query

    def roles(self, unit_id: int) -> set[str]:
        """The roles held today in the unit (org.selectors.roles_of for all units at once)."""
        if self._roles is None:
            self._roles = defaultdict(set)
            if self.person.is_authenticated:
                rows = current(Membership.objects.filter(person_id=self.pk), self.day)
                for unit_id_, role in rows.values_list("unit_id", "role"):
                    self._roles[unit_id_].add(role)
        return self._roles.get(unit_id, set())

    def is_principal(self, matter: Matter) -> bool:
        return Role.PRINCIPAL in self.roles(matter.unit_id)

    def is_legal_officer(self, unit_id: int) -> bool:
        if self._legal_units is None:
            self._legal_units = set(
                MatterRules.objects.filter(legal_officer_id=self.pk, unit__isnull=False).values_list(
                    "unit_id", flat=True
                )
            )
        return unit_id in self._legal_units

    # ---------------------------------------------------------------- restriction, frozen on the matter

    def is_restricted(self, matter: Matter) -> bool:
        """Frozen on the matter at submission (issue 9 hole 7): no query, and a later change of the
        power's category or of the unit's policy does not reach matters already submitted."""
        return matter.restricted

    # ---------------------------------------------------------------- joint-review panel, per unit

    def panel(self, matter: Matter) -> dict[int, str]:
        """{person pk: role} of the R-MAT-7 panel: deputy in charge, legal officer, unit inspector."""
        from .rules import joint_panel

        base = self._panels.get(matter.unit_id)
        if base is None:
            base = joint_panel(matter, with_deputy=False)
            self._panels[matter.unit_id] = base
        return {matter.deputy_id: "deputy", **{k: v for k, v in base.items() if k != matter.deputy_id}}

    def on_panel(self, matter: Matter) -> bool:
        """Membership of the panel without reading it: deputy, the unit's legal officer, or inspector."""
        return (
            self.pk == matter.deputy_id
            or self.is_legal_officer(matter.unit_id)
            or Role.INSPECTOR in self.roles(matter.unit_id)
        )
