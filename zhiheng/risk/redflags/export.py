"""The system of record (SQLite or PostgreSQL) mirrored in embedded DuckDB for the columnar scan
(`risk.columnar`, decisions 0023-columnar-red-flag-scan and its addendum): the matters, the waits for one
signer, the budget lines and the sealed decisions, with times as Asia/Shanghai wall-clock times (the
indicators judge local years and days). Reads only, in chunks.

The mirror is a DuckDB file (`settings.RISK_MIRROR_FILE`, under VAR_DIR) kept between scans. Each scan
first syncs it: the matters named by a ledger entry recorded since the last sync (every change of a matter
through the services — submission, decision, co-signature, hand-over, execution — is an entry whose
subject is the matter; the ledger's index is assigned in commit order, so it is a safe high-water mark),
any matter whose id is above the last one copied, and any matter saved (`updated_at`) since an hour
before the last sync (rows changed around the services) are read again and replace their rows; the budget lines and sealed decisions (small) are copied whole. A mirror that is
missing, of another schema or DuckDB version, or whose ledger mark no longer names the same entry (another
or a restored database) is rebuilt from scratch; `zhiheng risk scan --rebuild-mirror` rebuilds it by hand.
The system of record stays SQL: the mirror is a cache that can always be thrown away. With no file set
(the tests), or when another process holds the file, the copy is made in memory for one scan, as before.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from zhiheng.core import clock
from zhiheng.ledger.models import Entry
from zhiheng.matters.models import BudgetLine, Cosign, Matter
from zhiheng.meetings.models import Item, MeetingState
from zhiheng.org.models import Unit

from .. import columnar
from ..indicators import Thresholds
from . import facts

CHUNK = 50_000
IDS = 900  # matter ids per query of a sync (SQLite's bound parameters)
VERSION = "2"  # of the mirror's layout and of what a row holds: a change rebuilds every mirror
SAVED_MARGIN = dt.timedelta(hours=1)


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """An aware moment as the naive Asia/Shanghai wall-clock time the copy holds."""
    return moment.astimezone(clock.SHANGHAI).replace(tzinfo=None) if moment is not None else None


def _chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(con: Any, table: str, types: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows appended to `table`, one column array per chunk (no row-by-row round trips)."""
    select = ", ".join(f"unnest(${i}::{kind}[])" for i, kind in enumerate(types, 1))
    for chunk in _chunks(rows):
        con.execute(f"INSERT INTO {table} SELECT {select}", [list(c) for c in zip(*chunk, strict=True)])


MATTER_TYPES = tuple(columnar.MATTER_TYPES.split())
WAIT_TYPES = tuple(columnar.WAIT_TYPES.split())


def _matters(where: Q) -> Iterator[tuple[Any, ...]]:
    rows = (
        Matter.objects.filter(where)
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
    for pk, u, k, t, a, c, s, st, d, dd, b, line, rc, ref in rows.iterator(chunk_size=CHUNK):
        yield (pk, u, k, t, a, c, local(s), st, d or "", local(dd), b or "", line or "", rc, ref)


def _waits(where: Q) -> Iterator[tuple[Any, ...]]:
    """Every wait for one signer of the matters `where` selects (facts.waits, for many units at once)."""
    decided = Matter.objects.filter(where, requires_collective=False).filter(
        Q(decided_at__isnull=False) | Q(state__in=facts.UNDECIDED)
    )
    for pk, unit, deputy, submitted, at, title, name in decided.values_list(
        "pk", "unit__code", "deputy__username", "submitted_at", "decided_at", "title", "deputy__name"
    ).iterator(chunk_size=CHUNK):
        yield (pk, unit, deputy, "decide", local(submitted), local(at), title, name)
    cosigns = Cosign.objects.filter(matter__decided_at__isnull=False)
    cosigns = cosigns.filter(matter__in=Matter.objects.filter(where)) if where else cosigns
    for pk, unit, signer, at, signed, title, name in (
        cosigns.exclude(Q(signed_at__isnull=True) & Q(matter__state="withdrawn"))
        .values_list(
            "matter_id",
            "matter__unit__code",
            "signer__username",
            "matter__decided_at",
            "signed_at",
            "matter__title",
            "signer__name",
        )
        .iterator(chunk_size=CHUNK)
    ):
        yield (pk, unit, signer, "cosign", local(at), local(signed), title, name)


def _small_tables(con: Any) -> None:
    """The budget lines and the sealed decisions, copied whole (a few per unit and year)."""
    con.execute("DELETE FROM lines")
    con.execute("DELETE FROM sealed")
    _insert(
        con,
        "lines",
        ("VARCHAR", "VARCHAR", "DECIMAL(18, 2)", "INTEGER"),
        BudgetLine.objects.values_list("unit__code", "code", "amount", "year"),
    )
    sealed = Item.objects.filter(
        meeting__state=MeetingState.SEALED, decision__in=("passed", "rejected")
    ).values_list("meeting__unit__code", "meeting_id", "pk")
    _insert(con, "sealed", ("VARCHAR", "VARCHAR"), ((u, f"meeting:{m}/item:{i}") for u, m, i in sealed))


def _version() -> str:
    import duckdb

    return f"{VERSION}/duckdb-{duckdb.__version__}"


def _leaf(index: int) -> str:
    found = Entry.objects.filter(index=index).values_list("leaf_hash", flat=True).first()
    return bytes(found).hex() if found is not None else ""


def _usable(con: Any) -> dict[str, str] | None:
    """The mirror's state, or None when it must be rebuilt."""
    import duckdb

    try:
        kept = columnar.state(con)
    except duckdb.Error:  # no mirror_state table: a new or foreign file
        return None
    mark = int(kept.get("ledger", "0") or 0)
    if (
        kept.get("version") != _version()
        or mark <= 0
        or _leaf(mark) != kept.get("leaf")
        or "synced_at" not in kept
    ):
        return None
    return kept


def _changed(kept: dict[str, str], upto: int) -> set[int]:
    """The matters to read again: those named by a ledger entry recorded since the last sync (every change
    through the services); those made since the last id copied, and those saved (`updated_at`, the
    servers' real clock) since an hour before the last sync began (rows written around the services: a
    data fix, an import; the hour covers transactions that were open then and clocks that differ)."""
    subjects = (
        Entry.objects.filter(index__gt=int(kept["ledger"]), index__lte=upto, subject__startswith="matter:")
        .values_list("subject", flat=True)
        .distinct()
    )
    ids = {int(pk) for s in subjects.iterator() if (pk := s[7:].split("/")[0]).isdigit()}
    since = dt.datetime.fromisoformat(kept["synced_at"]) - SAVED_MARGIN
    around = Matter.objects.filter(Q(pk__gt=int(kept["last_id"])) | Q(updated_at__gte=since))
    return ids | set(around.values_list("pk", flat=True))


def sync(con: Any, *, rebuild: bool = False) -> dict[str, Any]:
    """Bring the mirror on `con` up to the system of record; returns what was done (mode "full" or
    "incremental", matters read, seconds)."""
    started, synced_at = time.perf_counter(), timezone.now()
    upto = Entry.objects.aggregate(Max("index"))["index__max"] or 0  # read first: later entries, next time
    last_id = Matter.objects.aggregate(Max("pk"))["pk__max"] or 0
    kept = None if rebuild else _usable(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if kept is None:
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND NOT temporary"
            ).fetchall():
                con.execute(f'DROP TABLE "{name}"')
            con.execute(columnar.SCHEMA)
            columnar._raw(con)
            _insert(con, "raw_matters", MATTER_TYPES, _matters(Q()))
            columnar.load(con, "raw_matters")
            _insert(con, "waits", WAIT_TYPES, _waits(Q()))
            read, mode = con.execute("SELECT count(*) FROM matters").fetchone()[0], "full"
        else:
            ids = sorted(_changed(kept, upto))
            columnar._raw(con)
            for chunk in _chunks(ids, IDS):
                _insert(con, "raw_matters", MATTER_TYPES, _matters(Q(pk__in=chunk)))
                _insert(con, "raw_waits", WAIT_TYPES, _waits(Q(pk__in=chunk)))
            con.execute("CREATE OR REPLACE TEMP TABLE raw_ids AS SELECT unnest($1::BIGINT[]) AS id", [ids])
            columnar.upsert(con, "raw_matters", "SELECT id FROM raw_ids", waits="raw_waits")
            read, mode = len(ids), "incremental"
        _small_tables(con)
        columnar.set_state(
            con,
            version=_version(),
            ledger=str(upto),
            leaf=_leaf(upto),
            last_id=str(last_id),
            synced_at=synced_at.isoformat(),
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"mode": mode, "matters": read, "seconds": time.perf_counter() - started}


@contextmanager
def mirror(*, rebuild: bool = False) -> Iterator[tuple[Any, dict[str, Any]]]:
    """A DuckDB connection on the synced mirror (the file, or an in-memory copy when no file is set or
    another process holds it), and what the sync did."""
    import duckdb

    path = str(getattr(settings, "RISK_MIRROR_FILE", "") or "")
    con = None
    if path:
        try:
            con = duckdb.connect(path)
        except duckdb.IOException:  # another scan holds the file: this one copies into memory
            path = ""
    if con is None:
        con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        yield con, {**sync(con, rebuild=rebuild), "file": path}
    finally:
        con.close()


def copy(units: list[Unit] | None = None) -> Any:
    """An in-memory DuckDB connection holding `columnar.SCHEMA` for every unit (a one-off copy)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    sync(con, rebuild=True)
    return con


def thresholds(units: list[Unit]) -> dict[str, Thresholds]:
    return {u.code: facts.thresholds_of(u) for u in units}
