"""Refusals of the meetings app that it raises from more than one place, each naming its SPEC rule.

`rules.py` returns or raises them; services raise them; the API and the pages render any
`DomainError` in one place (api/errors.py, web/refusals.py). The subclasses of `StatementLocked` are
the refusals a member entitled to state meets on one item (late, recommendations missing, speaking
order): the room shows them as the locked control instead of the statement form.
"""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class MeetingSealed(
    Refusal, Conflict, rule="R-MTG-7", message="会议纪要已封存，不能再修改；如需更正请另行登记更正记录"
):
    """R-MTG-7: sealed minutes are never edited; corrections are new dated entries."""


class NotStarted(Refusal, Conflict, rule="R-MTG-1"):
    """R-MTG-1 (issue 9 hole 12): attendance, statements and the close happen at the meeting."""


class NotOnTeam(
    Refusal, Forbidden, rule="R-MTG-1", message="只有本单位领导班子成员（一把手、副职、纪检组长）可以筹备会议"
):
    """R-MTG-1: the unit's team (principal, deputies, unit inspector) on the date prepares its meetings."""


class NotStatingMember(
    Refusal, Forbidden, rule="R-MTG-1", message="只有登记出席的班子成员可以表态（列席人员不表态）"
):
    """R-MTG-1: only attending members (and the inspector in a working group, R-MTG-8) state."""


class ItemDeferred(Refusal, Conflict, rule="R-MTG-6", message="本议题已由主持人决定缓议，不再表态"):
    """R-MTG-6: the chair deferred the item explicitly; nobody states on it any more."""


class Recused(Refusal, Conflict, rule="R-MTG-9"):
    """R-MTG-9: a member recused from an item does not state on it."""


class AlreadyStated(Refusal, Conflict, rule="R-MTG-4", message="您已就本议题表态，表态不可更改"):
    """R-MTG-4: a statement is final."""


class UnclearStatement(
    Refusal,
    Invalid,
    rule="R-MTG-4",
    message="表态须明确：同意、不同意或缓议，并说明理由；人事议题须提名一名人选",
):
    """R-MTG-4: agree, disagree or defer, with reasons; one candidate named on a personnel item."""


class StatementLocked(Refusal, Conflict):
    """A member entitled to state on the item cannot now: the room shows the locked control."""


class LateForItem(
    StatementLocked,
    rule="R-MTG-3",
    message="您在本议题开始表态后才登记出席，不参与本议题表态（其他议题不受影响）",
):
    """R-MTG-3 (issue 9 hole 3): registered after the item's roll was frozen by its first statement."""


class OutOfOrder(StatementLocked, rule="R-MTG-3"):
    """R-MTG-3 末位表态: the deputy in charge states first, the principal last."""


class RecommendationsMissing(
    StatementLocked, rule="R-MTG-5", message="每名候选人须先有实名推荐，方可讨论表态"
):
    """R-MTG-5: every candidate has a real-name recommendation before anyone states on the item."""
