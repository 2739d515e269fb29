"""Refusals of the tours app, each naming its SPEC rule (R-GATE-5)."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotTourStaff(
    Refusal, Forbidden, rule="R-GATE-5", message="只有本次巡察的巡察组成员或本区纪委管理员可以操作"
):
    """R-GATE-5: a tour is run by its team and the district's commission — never by anyone of a toured unit."""


class NotTheUnit(Refusal, Forbidden, rule="R-GATE-5", message="只有被巡察单位的一把手或纪检组长可以答复整改"):
    """R-GATE-5: the toured unit's principal or inspector reports what it rectified."""


class TourDone(Refusal, Conflict, rule="R-GATE-5", message="该巡察已结束"):
    """R-GATE-5: a finished tour takes no new step, opinion, rectification or lead."""


class OpenRectifications(
    Refusal, Conflict, rule="R-GATE-5", message="尚有未销号的整改问题，巡察不能进入最后一步"
):
    """R-GATE-5: a tour is not done while a rectification it ordered is still open."""


class OutOfOrder(Refusal, Conflict, rule="R-GATE-5", message="整改问题当前状态不能执行此操作"):
    """R-GATE-5: the rectification's state does not allow this action now."""


class BadTour(Refusal, Invalid, rule="R-GATE-5", message="巡察信息填写有误"):
    """R-GATE-5: a field of a tour, opinion, rectification, closure or lead is wrong (detail.fields)."""
