"""Parameter versions as a test world writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhiheng.org.models import District, Unit
from zhiheng.parameters.models import ParameterVersion

LONG_AGO = dt.date(2000, 1, 1)  # before every date the tests freeze the clock at


def put(
    namespace: str,
    *,
    values: dict[str, Any] | None,
    unit: Unit | None = None,
    district: District | None = None,
    day: dt.date = LONG_AGO,
) -> ParameterVersion:
    """A version already in force, written directly: no authorization, no validation, no ledger entry
    (what a fixture needs; every interface goes through parameters.set_values)."""
    return ParameterVersion.objects.create(
        namespace=namespace,
        district=unit.district if unit is not None else district,
        unit=unit,
        values=values,
        in_force_from=day,
    )
