"""Refusals of the org app raised from more than one place, each naming its SPEC rule (R-ORG-*)."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Refusal


class TermOverlaps(Refusal, Conflict, rule="R-ORG-1"):
    """R-ORG-1: terms of office are dated rows; one person holds one term in a unit at a time."""


class UnitNameTaken(Refusal, Conflict, rule="R-ORG-1"):
    """R-ORG-1: a district's units are told apart by their names on every page and in every report."""


class OnePrincipal(Refusal, Conflict, rule="R-ORG-2"):
    """R-ORG-2: one principal per unit at any time (also a database constraint)."""
