"""Refusals of the inspections app raised from more than one place, each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Refusal


class NotInspector(Refusal, Forbidden, rule="R-SUP-2", message="只有本区督察组成员可以开展督察检查"):
    """R-SUP-2: checks are opened, closed and judged by members of the district's inspection groups."""


class CheckClosed(Refusal, Conflict, rule="R-SUP-2", message="该督察检查已结束"):
    """R-SUP-2: a closed check takes no new findings and cannot be closed again."""


class OutOfOrder(Refusal, Conflict, rule="R-SUP-2", message="整改事项当前状态不能执行此操作"):
    """R-SUP-2: the rectification item's state does not allow this action now."""


class NotTheUnit(Refusal, Forbidden, rule="R-SUP-2", message="只有被检查单位的领导班子成员可以答复整改"):
    """R-SUP-2: the inspected unit's team answers its rectification items."""
