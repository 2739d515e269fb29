"""The red flags of SPEC section 10 as pure functions over plain values (issue 15).

No ORM, no Django, no clock: each module takes facts (frozen dataclasses built by `redflags.facts` from the
database, or by a test, a benchmark or a generator) and the unit's thresholds (`Thresholds`, from the
"risk" parameter set), and returns `Finding`s. The scan (`redflags.engine.scan`) and the event handlers
(`redflags.engine.on_entry`) call the same functions — the handlers on the few records an entry touched —
and both raise a finding through `services.raise_warning(source=finding.source)`, so the two paths share
one source per finding and never raise it twice. A test (tests/test_paths_agree.py) runs both on one
generated history and compares what they found.

`tests/test_import_purity.py` checks that importing this package loads no Django at all.
"""

from .common import (
    Finding,
    ItemFact,
    MatterFact,
    MeetingSealFact,
    PlanFact,
    Thresholds,
    WaitFact,
)

__all__ = ["Finding", "ItemFact", "MatterFact", "MeetingSealFact", "PlanFact", "Thresholds", "WaitFact"]
