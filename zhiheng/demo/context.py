"""What the demo steps share: the cast, the units, the timeline and one seeded random source."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from zhiheng.accounts.models import Person
from zhiheng.org.models import District, Unit

DEMO_PASSWORD = "zhiheng-demo"  # API.md: every demo account's password
SEED = 20120221  # the day Jiangbei's pilot started work, as good a seed as any

# The demo replays one year of history ending shortly before the demo's "today"; the seed's dated
# stories (Nanchuan's filing deadline of 1 April, the 28 February early filing, …) keep their month/day.
TERMS_START = dt.date(2024, 1, 1)
HISTORY_START = dt.date(2025, 12, 1)
HISTORY_END = dt.date(2026, 11, 20)
YEAR = 2026


@dataclass
class Team:
    unit: Unit
    principal: Person
    deputies: list[Person]
    inspector: Person
    staff: list[Person]

    @property
    def legal_officer(self) -> Person:
        """The staff member who sits on enforcement joint reviews (R-MAT-7)."""
        return self.staff[2]


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    districts: dict[str, District] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    admins: dict[str, Person] = field(default_factory=dict)  # district code → commission admin
    pilot_units: set[str] = field(default_factory=set)
    policies: dict[str, str] = field(default_factory=dict)  # district code → policy template code
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, name, what)
    stories: dict[str, object] = field(default_factory=dict)  # story key → its matter (steps/stories.py)
    risk_report: str = ""  # what the red flags' replay and scans said (steps/warnings.py)

    def person(self, username: str) -> Person:
        return Person.objects.get(username=username)
