"""Refusals of the ledger, each naming its SPEC rule (R-LED-*)."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Refusal


class LogInconsistent(Refusal, Conflict):
    """R-LED-4: the stored log no longer extends what an earlier checkpoint (or a witness) signed:
    truncated, rewritten or forked. Nothing is stored; the message says which check failed."""

    default_rule = "R-LED-4"
