"""Refusals of the unit rules (R-PIL-2), each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotAWriter(
    Refusal,
    Forbidden,
    rule="R-PIL-2",
    message="只有本单位领导班子成员（一把手、副职）可以登记本单位集体通过的制度",
):
    """R-PIL-2: a unit's rules are adopted by its leadership team collectively; a team member (principal or
    deputy) records what the team's sealed meeting passed. The inspector supervises, staff carry out."""


class NotALibrarian(Refusal, Forbidden, rule="R-PIL-2", message="只有本区纪委管理员可以编写制度范本"):
    """R-PIL-2: the district's library of model rules 制度范本 is the commission's."""


class OutOfOrder(Refusal, Conflict, rule="R-PIL-2", message="该制度当前状态不能执行此操作"):
    """R-PIL-2: a repealed rule is history (no new version, no revival); a withdrawn model is not adopted."""


class BackDated(Refusal, Conflict, rule="R-PIL-2", message="新版本（或废止）的日期须晚于现行版本的通过日期"):
    """R-PIL-2: versions follow each other in time; nobody slips a version in before the one in force."""


class DuplicateCode(Refusal, Conflict, rule="R-PIL-2", message="制度编号已被使用（包括已废止的制度）"):
    """R-PIL-2: a code names one rule of the unit for ever, so a repealed rule is never quietly revived."""


class NotAdopted(
    Refusal,
    Invalid,
    rule="R-PIL-2",
    message="制度须由本单位已封存会议上获通过的议题通过",
):
    """R-PIL-2: every version (and every repeal) cites the sealed meeting of the unit and its agenda item
    that passed it; only a rule adopted before the unit joined the system may cite none."""
