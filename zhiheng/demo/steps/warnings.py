"""Step 6: the warnings the history really triggers (issue 13 item 6), raised by the risk engine's own red
flags and nothing else — no warning is written by hand.

The build replays every ledger entry of the demo's history into the red flags that consume entries (what
`zhiheng risk replay --since 0` does) and runs the scheduled scans (`zhiheng risk scan`). Refused attempts
(RF1: 南城街道's and 交通局's principals trying to sign) were kept as warnings when they happened. Today the
engine has RF1 only (risk/redflags/); late or missing division plans (RF6) and long waits for one signer
(RF7) raise warnings here as soon as those red flags are registered (issue 15), with no change to the demo.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from ..context import DemoContext


def build(ctx: DemoContext) -> None:
    out = io.StringIO()
    call_command("risk", "replay", "--since", "0", stdout=out)
    call_command("risk", "scan", stdout=out)
    ctx.risk_report = out.getvalue()
