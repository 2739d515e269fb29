"""Refusals of the pilot programmes (R-PIL-1), each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotTheCommission(Refusal, Forbidden, rule="R-PIL-1", message="只有本区纪委管理员可以配置试点工作"):
    """SPEC §1: the district's commission admins configure pilots; units take part, they do not decide."""


class RolledOut(Refusal, Conflict, rule="R-PIL-1", message="试点已全面推开，不能再修改"):
    """R-PIL-1: after the rollout 推开 the programme is history — its units and phases stay as they were."""


class UnitsFixed(Refusal, Conflict, rule="R-PIL-1", message="试点已进入正式实施阶段，试点单位不能再增减"):
    """R-PIL-1: once formal implementation has begun, no unit leaves the pilot (nor joins it) — dropping a
    unit that does badly, or adding one that does well, would game the pilot-vs-non-pilot comparison."""


class PhaseBegun(Refusal, Conflict, rule="R-PIL-1", message="已开始的试点阶段不能改期"):
    """R-PIL-1: a phase whose date has come is history; its date is not moved."""


class BackDated(Refusal, Invalid, rule="R-PIL-1", message="日期不能早于今天（已发生的历史不能追溯改变）"):
    """R-PIL-1: a phase or a rollout takes effect today or later — a back-dated "formal implementation"
    would move the line the analytics compare across."""


class PhasesOutOfOrder(
    Refusal, Invalid, rule="R-PIL-1", message="试点阶段须依次进行：动员教育、制定制度、正式实施，日期递增"
):
    """R-PIL-1: the phases follow the seed's order with strictly increasing dates."""


class RolloutTooEarly(Refusal, Invalid, rule="R-PIL-1", message="全面推开须在正式实施开始之后"):
    """R-PIL-1: the rollout to all units follows formal implementation, which must be set and begin first."""


class BadUnits(Refusal, Invalid, rule="R-PIL-1", message="试点单位有误"):
    """R-PIL-1: a pilot's units are units of its district, not all of them (a pilot of every unit is no
    pilot), and no unit is in two running pilots of the district at once."""


class BadVisit(Refusal, Invalid, rule="R-PIL-1", message="督查记录有误"):
    """R-PIL-1: a supervision visit 督查 happened (not in the future, not before the pilot began) to units of
    the pilot, by someone, with its record."""
