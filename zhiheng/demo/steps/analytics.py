"""Last step: the monthly roll-up behind 成效分析 (decision 0022), rebuilt from the demo's records.

The build records its history inside one transaction with delivery after commit switched off
(`dispatch.replayed_by_caller`): the red flags get it by the warnings step's replay, and the roll-up —
which would only recompute, month by month, what one pass computes at once — is rebuilt here
(`zhiheng analytics rebuild`).
"""

from __future__ import annotations

import io

from django.core.management import call_command

from ..context import DemoContext


def build(ctx: DemoContext) -> None:
    call_command("analytics", "rebuild", stdout=io.StringIO())
