"""What a check proposes to look at (R-SUP-2): a weighted random sample of the unit's records,
reproducible by anyone from the seed recorded in the ledger.

The apps that hold records register a *source* (`register_source`): given a unit, it returns candidates
(kind, id, weight, reasons) — matters weighted towards large amounts, long waits and collective decisions
with dissent; meetings towards dissent — and an app may register a *booster* that raises the weight of
records it knows about (risk: open warnings). Sources live with their data; this module only draws.

The draw is Efraimidis–Spirakis weighted sampling without replacement: each candidate gets the key
u^(1/w), u uniform from a `random.Random(seed)` consumed in the population's canonical order, and the k
largest keys win. The population (with weights) is stored with the check and its digest goes in the
ledger, so `draw(seed, population, k)` replays the sample exactly: nobody can claim it was chosen to spare
someone, and nobody can quietly re-draw until a favourite is left out.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from zhiheng.org.models import Unit


@dataclass(frozen=True)
class Candidate:
    kind: str  # "matter" | "meeting"
    id: int
    weight: float
    reasons: tuple[str, ...] = field(default=())


Source = Callable[[Unit], Iterable[Candidate]]
Booster = Callable[[Unit, list[Candidate]], dict[tuple[str, int], tuple[float, str]]]

_sources: dict[str, Source] = {}
_boosters: dict[str, Booster] = {}


def register_source(name: str, source: Source) -> None:
    """An app's records as candidates (called from its AppConfig.ready)."""
    _sources[name] = source


def register_booster(name: str, booster: Booster) -> None:
    """Extra weight for candidates an app knows more about: {(kind, id): (factor, reason)}."""
    _boosters[name] = booster


def population_of(unit: Unit) -> list[Candidate]:
    """Every registered source's candidates for the unit, boosted, in canonical order (kind, id)."""
    found: dict[tuple[str, int], Candidate] = {}
    for name in sorted(_sources):
        for c in _sources[name](unit):
            found[(c.kind, c.id)] = c
    candidates = [found[key] for key in sorted(found)]
    for name in sorted(_boosters):
        boosts = _boosters[name](unit, candidates)
        candidates = [
            Candidate(
                c.kind, c.id, c.weight * boosts[(c.kind, c.id)][0], (*c.reasons, boosts[(c.kind, c.id)][1])
            )
            if (c.kind, c.id) in boosts
            else c
            for c in candidates
        ]
    return candidates


def draw(seed: str, population: list[Candidate], k: int) -> list[Candidate]:
    """The k candidates the seed picks, best key first (pure: the same inputs give the same sample)."""
    # Reproducible on purpose: the seed itself is drawn with `secrets` when the check opens.
    rng = random.Random(seed)  # noqa: S311
    keyed = []
    for c in sorted(population, key=lambda c: (c.kind, c.id)):
        u = rng.random()
        keyed.append((u ** (1.0 / c.weight) if c.weight > 0 else 0.0, c.kind, c.id, c))
    keyed.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [row[3] for row in keyed[:k]]


def as_rows(population: list[Candidate]) -> list[list[object]]:
    """The population as stored with the check: [[kind, id, weight], ...] (weights rounded to 6 places,
    which is also what a replay reads back)."""
    return [[c.kind, c.id, round(c.weight, 6)] for c in population]


def from_rows(rows: list[list[object]]) -> list[Candidate]:
    return [Candidate(str(kind), int(str(pk)), float(str(weight))) for kind, pk, weight in rows]


def digest(rows: list[list[object]]) -> str:
    """sha256 of the stored population, recorded in the ledger with the seed."""
    return hashlib.sha256(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
