"""Refusals of the integrity check-up raised from more than one place, each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Refusal


class NotTheDeclarant(Refusal, Forbidden, rule="R-GATE-2", message="只有本人可以申报本人的廉情"):
    """R-GATE-2: a person declares for themself; nobody files a declaration in another's name."""


class NoSittingLeft(
    Refusal, Conflict, rule="R-GATE-1", message="该候选人已通过考试或补考未通过，不能再登记考试"
):
    """R-GATE-1: one exam and one make-up; after a pass, or a failed make-up (取消任职资格), no more."""
