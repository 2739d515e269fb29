"""Red flags of SPEC section 10, one module each (rf1.py, rf2.py, …). Each writes through
services.raise_warning with a `source`, so every flag shares one record, one ledger code, one page, and
raises a warning once per (subject, source) however often it is fed.

A red flag consumes what happened; nothing below risk calls it (decision 0012). Three ways in:

- EVENT_HANDLERS: ledger event code → handlers. `install()` subscribes them to the ledger's dispatcher,
  which hands each committed entry to them (in-process, or a Celery task with a broker); the hourly
  catch-up (tasks.catch_up) and `zhiheng risk replay` deliver entries again.
- SCANS: name → a scan that returns how many warnings it raised (or escalated), run daily by beat
  (tasks.run_scans) and by `zhiheng risk scan`: engine.scan judges RF2, RF4–RF11 over all history
  (set-based in DuckDB for the matters' rules, `risk.columnar`; per unit for the rest); its sources ("scan:<rule>:<unit>:<key>") are the ones the event
  handlers use, so both paths raise a finding once.
- ATTEMPT_RECORDERS: kind of refused attempt → recorder (core/attempts.py). Only RF1 has one: an attempt
  refused by the engine leaves no ledger entry of its own, and its trace must survive the refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from zhiheng.core import attempts
from zhiheng.ledger import dispatch

from . import declarations, engine, escalation, rectification, rf1

RULES: dict[str, str] = {rf1.RULE: rf1.TITLE, **engine.TITLES, **declarations.TITLES}

EVENT_HANDLERS: dict[str, list[tuple[str, dispatch.Handler]]] = {
    code: [("risk.RF1.performed", rf1.performed)] for code in rf1.PERFORMED
}
# RF2, RF4–RF11 on the records each entry touched (engine.EVENT_FINDINGS); the scan below sees the rest.
for _code in engine.EVENT_FINDINGS:
    EVENT_HANDLERS.setdefault(_code, []).append(("risk.redflags.on_entry", engine.on_entry))

# RF12 and RF3 from what a filed declaration's checks found (the check-up, R-GATE-2).
EVENT_HANDLERS.setdefault(declarations.CODE, []).append(
    ("risk.redflags.declarations", declarations.on_declaration)
)

SCANS: dict[str, Callable[[], int]] = {
    "redflags": lambda: engine.scan(),  # RF2, RF4–RF11 over all history
    "escalate": lambda: escalation.escalate_overdue(),  # open warnings past N days go to the commission
    "rectifications": lambda: rectification.raise_overdue(),  # RF6: inspection findings past their deadline
}

ATTEMPT_RECORDERS: dict[str, attempts.Recorder] = {rf1.ATTEMPT: rf1.record_attempt}

HANDLER_PREFIX = "risk."


def install() -> None:
    """From RiskConfig.ready(): subscribe the event handlers and register the attempt recorders."""
    for code, handlers in EVENT_HANDLERS.items():
        for name, handler in handlers:
            dispatch.subscribe(code, handler, name=name)
    for kind, recorder in ATTEMPT_RECORDERS.items():
        attempts.register(kind, recorder)
