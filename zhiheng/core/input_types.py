"""Field types shared by the API's input schemas (issue 10 finding 8: strict, bounded input).

`Name`: a code, username or short name inside a list (list items carry no bound of their own).

`IsoDate`: a calendar date written as "YYYY-MM-DD" and nothing else. Pydantic's lax mode turns a number
into a date (`0` → 1970-01-01), which let a division draft be validated against 1970.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("日期须写作 YYYY-MM-DD")


Name = Annotated[str, StringConstraints(max_length=150)]

IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date_only),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
