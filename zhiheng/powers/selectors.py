"""Reads of the powers app; the authority queries live here."""

from __future__ import annotations

from collections.abc import Iterable


def policy_codes_for_units(units: Iterable) -> dict[int, str]:
    """{unit pk: policy template code} for the units given (one query)."""
    return {}
