"""Full verification of the stored log (R-LED-4): every entry, subtree hash and checkpoint, recomputed
and compared, with what the witnesses hold; each run is stored as a VerificationRun.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from zhiheng.core import clock

from .. import guard, selectors, signing, treecheck, verification, witness
from ..models import VerificationRun
from .checkpoints import signature_checker

log = logging.getLogger(__name__)


def verify_workers(n: int, workers: int | None = None) -> int:
    """How many processes hash a log of n entries: `workers` if given, else settings.LEDGER_VERIFY_WORKERS
    if set, else one per core for large logs (treecheck.default_workers)."""
    if workers is None:
        workers = getattr(settings, "LEDGER_VERIFY_WORKERS", None)
    return max(1, int(workers)) if workers else treecheck.default_workers(n)


def witnessed_rows(
    extra_logs: Sequence[Path | str] = (),
) -> tuple[list[verification.WitnessRow], str, list[str]]:
    """This log's checkpoints from the witness log (and any other witness logs given, e.g. a copy fetched
    from the commission's server): the lines whose key id is one of this district's keys (current or
    retired); lines of other origins (checkpoints this server witnesses for others) are not ours.
    Returns (rows, what is broken in a file, warnings)."""
    ring = signing.keyring()
    rows: list[verification.WitnessRow] = []
    broken, warnings = "", []
    paths = [witness.log_path(), *extra_logs]
    if paths[0] is None:
        warnings.append(
            "no witness log configured (LEDGER_WITNESS_LOG): the ledger is anchored only in its own database"
        )
    for path in paths:
        if path is None:
            continue
        found = witness.read(path)
        if found is None:
            continue
        if found.torn_tail:
            warnings.append(f"{found.path}: the last line is incomplete (a crash mid-write) and was ignored")
        if found.broken and not broken:
            broken = f"witness log broken: {found.broken}"
        for line in found.lines:
            if line.key_id in ring:
                rows.append(
                    verification.WitnessRow(
                        line=line.number,
                        size=line.size,
                        root=line.root,
                        message=line.message,
                        signature=line.signature,
                        key_id=line.key_id,
                        first=line.first,
                        leaves=line.leaves,
                    )
                )
    return rows, broken, warnings


def verify_all(*, workers: int | None = None, witness_logs: Sequence[Path | str] = ()) -> verification.Report:
    """Recompute everything from the stored entries (R-LED-4) and check it against the checkpoints
    witnessed outside the database; see verification.verify_log. The report's warnings name the entries
    not yet covered by a witnessed checkpoint (the only ones a database rewrite could still hide)."""
    loaded = selectors.load_everything()
    n = len(loaded["datas"])
    rows, broken, warnings = witnessed_rows(witness_logs)
    report = verification.verify_log(
        **loaded,
        signature_ok=signature_checker(),
        workers=verify_workers(n, workers),
        witnessed=rows,
        witness_broken=broken,
    )
    report.warnings.extend(warnings)
    report.extra["witnessed"] = len(rows)
    if witness.log_path() is not None or witness_logs:
        report.warnings.extend(_tail_warnings(n, rows, loaded["datas"]))
    return report


def _tail_warnings(n: int, rows: list[verification.WitnessRow], datas: Sequence[bytes]) -> list[str]:
    """The gap since the last witnessed checkpoint: how many entries, since when — and tail entries dated
    before that checkpoint (genuine appends are dated after it; a forged, back-dated append is not)."""
    import json

    last = max(rows, key=lambda r: r.size, default=None)
    witnessed = last.size if last else 0
    if n <= witnessed:
        return []
    since = ""
    signed_at = None
    if last is not None:
        signed_at = dt.datetime.fromisoformat(last.message.decode().splitlines()[3])
        minutes = int((clock.now() - signed_at).total_seconds() // 60)
        since = f" (the last witnessed checkpoint, size {witnessed}, was signed {minutes} min ago at {signed_at.isoformat()})"
    out = [
        f"{n - witnessed} entries (#{witnessed}..#{n - 1}) are not yet covered by a witnessed checkpoint{since}"
    ]
    if signed_at is not None:
        skew = dt.timedelta(minutes=5)
        early = []
        for k in range(witnessed, n):
            try:
                when = dt.datetime.fromisoformat(json.loads(datas[k])["time"])
            except (ValueError, KeyError, TypeError):
                continue
            if when < signed_at - skew:
                early.append(k)
        if early:
            out.append(
                f"entries {', '.join(f'#{k}' for k in early[:5])}{' …' if len(early) > 5 else ''} are dated before "
                f"the last witnessed checkpoint yet not in it: appended later with an earlier date?"
            )
    return out


def run_verification(
    *, by: Any = None, workers: int | None = None, witness_logs: Sequence[Path | str] = ()
) -> VerificationRun:
    """Run a full verification and store its result, so the ledger page can show when it last ran."""
    started = clock.now()
    report = verify_all(workers=workers, witness_logs=witness_logs)
    if report.ok and not guard.installed(connection.alias):
        report = verification.Report(
            False,
            report.entries,
            report.checkpoints,
            "guard",
            None,
            "账本防篡改触发器缺失、被停用或被改写",
            warnings=report.warnings,
        )
    run = VerificationRun.objects.create(
        started_at=started,
        finished_at=clock.now(),
        ok=report.ok,
        entries=report.entries,
        checkpoints=report.checkpoints,
        kind=report.kind,
        position=report.position,
        message=str(report),
        by=getattr(by, "username", "") or "",
    )
    if not report.ok:
        log.error("ledger verification failed: %s", report)
    return run
