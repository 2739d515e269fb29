"""RF6 late duties — the division-plan half: a unit's division plan not filed by the district's deadline
(R-DIV-5). (The other half, a monthly report not acknowledged within 10 days, is raised by the supervision
app, which owns the reports.)

Source of the idea: the OCP red-flags guide (2016) treats "missing or late mandatory publications and
filings" as an early signal of weak control; here the filing is SPEC's R-DIV-5 deadline.

Definition: for a filing round (label, due date) of the unit's district, the unit fires when `as_of` is
past `due + rf6_grace_days` and the round's first filing is missing or came after `due`.
"""

from __future__ import annotations

import datetime as dt

from .common import HIGH, MEDIUM, Finding, Thresholds

RULE = "RF6"


def plan_not_filed(
    unit: str,
    *,
    deadline_id: int,
    label: str,
    due: dt.date,
    filed_on: dt.date | None,
    as_of: dt.date,
    t: Thresholds,
) -> list[Finding]:
    late = filed_on is not None and filed_on > due
    missing = filed_on is None and as_of > due + dt.timedelta(days=t.rf6_grace_days)
    if not (late or missing):
        return []
    what = f"于 {filed_on} 逾期报送" if late else f"截至 {as_of} 仍未报送"
    return [
        Finding(
            rule=RULE,
            unit=unit,
            key=f"plan:{deadline_id}",
            subject=f"unit:{unit}",
            level=MEDIUM if late else HIGH,
            explanation=f"分工方案（{label}，截止 {due}）{what}（R-DIV-5）。",
            records=({"deadline": label, "due": str(due), "filed_on": str(filed_on) if filed_on else None},),
        )
    ]
