"""Refusals of the risk register (R-GATE-6), each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotAnEditor(
    Refusal,
    Forbidden,
    rule="R-GATE-6",
    message="只有分管该职权的副职或本单位纪检组长可以登记、修改、复核风险点",
):
    """R-GATE-6: the deputy in charge of the power and the unit inspector keep its risk points."""


class NotAPublisher(Refusal, Forbidden, rule="R-GATE-6", message="只有本单位一把手或纪检组长可以公示风险点"):
    """R-GATE-6: the unit publishes its register inside the unit (公示): its principal or its inspector."""


class NotARetirer(
    Refusal, Forbidden, rule="R-GATE-6", message="只有本单位纪检组长或区纪委管理员可以停用风险点"
):
    """R-GATE-6: retiring a point is the strongest downgrade; the principal cannot, the inspector and the
    commission can, with a reason."""


class NotASupervisor(
    Refusal, Forbidden, rule="R-GATE-6", message="只有本单位纪检组长或区纪委管理员可以要求复核"
):
    """R-GATE-6: the commission (and the unit inspector) may require a point's review."""


class OutOfOrder(Refusal, Conflict, rule="R-GATE-6", message="风险点当前状态不能执行此操作"):
    """R-GATE-6: the point's status does not allow this action now (a retired point is history)."""


class ReasonRequired(Refusal, Invalid, rule="R-GATE-6", message="改变风险等级须说明理由"):
    """R-GATE-6: a change of grade of a point once published, or a retirement, states its reason (recorded
    with the old and new grade in the ledger)."""
