"""The system of record (SQLite or PostgreSQL) copied into embedded DuckDB for the columnar scan
(`risk.columnar`, decision 0023-columnar-red-flag-scan): the matters, the waits for one signer, the budget
lines and the sealed decisions of the active units, with times as Asia/Shanghai wall-clock times (the
indicators judge local years and days). Reads only, in chunks; the copy lives in memory for one scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q

from zhiheng.core import clock
from zhiheng.matters.models import BudgetLine, Cosign, Matter
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.org.models import Unit

from .. import columnar
from ..indicators import Thresholds
from . import facts

CHUNK = 50_000


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """An aware moment as the naive Asia/Shanghai wall-clock time the copy holds."""
    return moment.astimezone(clock.SHANGHAI).replace(tzinfo=None) if moment is not None else None


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(con: Any, table: str, types: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows appended to `table`, one column array per chunk (no row-by-row round trips)."""
    select = ", ".join(f"unnest(${i}::{kind}[])" for i, kind in enumerate(types, 1))
    for chunk in _chunks(rows):
        con.execute(f"INSERT INTO {table} SELECT {select}", [list(c) for c in zip(*chunk, strict=True)])


MATTER_TYPES = (
    "BIGINT",
    "VARCHAR",
    "VARCHAR",
    "VARCHAR",
    "DECIMAL(18, 2)",
    "VARCHAR",
    "TIMESTAMP",
    "VARCHAR",
    "VARCHAR",
    "TIMESTAMP",
    "VARCHAR",
    "VARCHAR",
    "BOOLEAN",
    "VARCHAR",
)
WAIT_TYPES = ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP", "TIMESTAMP", "VARCHAR", "VARCHAR")


def copy(units: list[Unit]) -> Any:
    """An in-memory DuckDB connection holding `columnar.SCHEMA` for `units`."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    con.execute(columnar.SCHEMA)
    ids = [u.pk for u in units]
    con.execute(
        "CREATE TEMP TABLE raw_matters AS SELECT * EXCLUDE (party, purpose, party_k, purpose_k) FROM matters WHERE false"
    )
    rows = (
        Matter.objects.filter(unit_id__in=ids)
        .values_list(
            "pk",
            "unit__code",
            "kind",
            "title",
            "amount",
            "counterparty",
            "submitted_at",
            "state",
            "deputy__username",
            "decided_at",
            "decided_by__username",
            "budget_line__code",
            "requires_collective",
            "decision_ref",
        )
        .order_by("pk")
    )
    _insert(
        con,
        "raw_matters",
        MATTER_TYPES,
        (
            (pk, u, k, t, a, c, local(s), st, d or "", local(dd), b or "", line or "", rc, ref)
            for pk, u, k, t, a, c, s, st, d, dd, b, line, rc, ref in rows.iterator(chunk_size=CHUNK)
        ),
    )
    columnar.load(con, "raw_matters")
    con.execute("DROP TABLE raw_matters")
    _insert(con, "waits", WAIT_TYPES, _waits(ids))
    _insert(
        con,
        "lines",
        ("VARCHAR", "VARCHAR", "DECIMAL(18, 2)", "INTEGER"),
        BudgetLine.objects.filter(unit_id__in=ids).values_list("unit__code", "code", "amount", "year"),
    )
    sealed = Item.objects.filter(
        meeting__unit_id__in=ids, meeting__state=MeetingState.SEALED, decision__in=("passed", "rejected")
    ).values_list("meeting__unit__code", "meeting_id", "pk")
    _insert(con, "sealed", ("VARCHAR", "VARCHAR"), ((u, f"meeting:{m}/item:{i}") for u, m, i in sealed))
    return con


def _waits(ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """Every wait for one signer (facts.waits, for all the units at once)."""
    decided = Matter.objects.filter(unit_id__in=ids, requires_collective=False).filter(
        Q(decided_at__isnull=False) | Q(state__in=facts.UNDECIDED)
    )
    for pk, unit, deputy, submitted, at, title, name in decided.values_list(
        "pk", "unit__code", "deputy__username", "submitted_at", "decided_at", "title", "deputy__name"
    ).iterator(chunk_size=CHUNK):
        yield (pk, unit, deputy, "decide", local(submitted), local(at), title, name)
    cosigns = Cosign.objects.filter(matter__unit_id__in=ids, matter__decided_at__isnull=False).exclude(
        Q(signed_at__isnull=True) & Q(matter__state="withdrawn")
    )
    for pk, unit, signer, at, signed, title, name in cosigns.values_list(
        "matter_id",
        "matter__unit__code",
        "signer__username",
        "matter__decided_at",
        "signed_at",
        "matter__title",
        "signer__name",
    ).iterator(chunk_size=CHUNK):
        yield (pk, unit, signer, "cosign", local(at), local(signed), title, name)


def thresholds(units: list[Unit]) -> dict[str, Thresholds]:
    return {u.code: facts.thresholds_of(u) for u in units}
