"""Refusals of the powers app raised from more than one place, each naming its SPEC rule (R-DIV-*)."""

from __future__ import annotations

from zhiheng.core.errors import Forbidden, Refusal


class NotThePrincipal(Refusal, Forbidden, rule="R-DIV-5", message="只有本单位一把手可以起草和报送分工方案"):
    """R-DIV-5: the division of labour is the principal's to propose and file to the district."""


class NotCatalogueEditor(
    Refusal, Forbidden, rule="R-DIV-1", message="只有本单位一把手或本区纪委管理员可以维护职权目录"
):
    """R-DIV-1: the unit keeps its catalogue (principal); the district's commission admins may correct it."""
