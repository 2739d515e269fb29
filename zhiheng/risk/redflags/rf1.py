"""RF1: the principal attempted or performed a restricted action (R-MAT-2).

- Attempted: the matters engine refuses the principal's approval, rejection, co-signature or joint-review
  opinion on a restricted matter and reports the attempt (core/attempts.py, kind ATTEMPT) before it raises
  the refusal. `record_attempt` keeps it as a warning that survives the refusal and any rollback of the
  caller's transaction — the one narrow hook into risk (decision 0012).
- Performed: such an action was nevertheless recorded in the ledger (a path around the engine). `performed`
  consumes the committed entries of PERFORMED (ledger/dispatch.py); in normal operation it never fires.
"""

from __future__ import annotations

from zhiheng.core import clock
from zhiheng.core.attempts import Attempt
from zhiheng.ledger.dispatch import Recorded
from zhiheng.matters.models import Matter
from zhiheng.org.models import Unit
from zhiheng.org.selectors import principal_of

from .. import services
from ..models import Level, Warning

RULE = "RF1"
TITLE = "一把手尝试或实施了不直接分管的行为"

ATTEMPT = "matter.restricted_attempt"
PERFORMED = ("matter.approved", "matter.rejected", "matter.cosigned", "matter.joint_opinion")
ACTIONS = {
    "matter.approved": "批准",
    "matter.rejected": "否定",
    "matter.cosigned": "会签",
    "matter.joint_opinion": "执法会审表态",
}
# The refused attempt names the service it tried (matters' RF1 hook); the warning says it in Chinese.
ATTEMPTED = {"approve": "批准", "reject": "否定", "cosign": "会签", "joint_review": "执法会审表态"}


def record_attempt(attempt: Attempt) -> Warning | None:
    """The attempt as an RF1 warning, once per attempt. Nothing when the attempt's unit or matter no
    longer exists: they were rolled back with it, so in this database nothing was attempted."""
    unit = Unit.objects.filter(code=attempt.unit).first()
    matter_pk = attempt.facts.get("matter")
    if unit is None or matter_pk is None or not Matter.objects.filter(pk=matter_pk, unit=unit).exists():
        return None
    name = attempt.facts.get("name") or attempt.actor
    action = attempt.facts.get("action", "")
    action = ATTEMPTED.get(action, action)
    return services.raise_warning(
        rule=RULE,
        level=Level.HIGH,
        unit=unit,
        subject=attempt.subject,
        explanation=f"一把手 {name}（{attempt.actor}）试图对不直接分管的事项执行“{action}”，已被系统拒绝（R-MAT-2）。",
        records=[
            {
                "matter": matter_pk,
                "title": attempt.facts.get("title", ""),
                "by": attempt.actor,
                "at": attempt.at.isoformat(),
            }
        ],
        source=f"attempt:{attempt.key}",
    )


def performed(entry: Recorded) -> Warning | None:
    """A committed approval, rejection, co-signature or joint-review opinion on a restricted matter whose
    actor was the unit's principal on that day: RF1, once per entry."""
    kind, _, pk = entry.subject.partition(":")
    if not entry.actor or kind != "matter" or not pk.isdigit():
        return None
    matter = Matter.objects.select_related("unit").filter(pk=int(pk), restricted=True).first()
    if matter is None:
        return None
    principal = principal_of(matter.unit, entry.recorded_at.astimezone(clock.SHANGHAI).date())
    if principal is None or principal.username != entry.actor:
        return None
    action = ACTIONS.get(entry.code, entry.code)
    return services.raise_warning(
        rule=RULE,
        level=Level.HIGH,
        unit=matter.unit,
        subject=matter.subject,
        explanation=(
            f"一把手 {principal.name}（{principal.username}）对不直接分管的事项执行了“{action}”"
            f"（账本 #{entry.index}），未经系统拒绝（R-MAT-2）。"
        ),
        records=[
            {
                "matter": matter.pk,
                "title": matter.title,
                "by": entry.actor,
                "at": entry.recorded_at.isoformat(),
                "ledger_index": entry.index,
            }
        ],
        source=f"entry:{entry.index}",
    )
