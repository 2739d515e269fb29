"""Refusals of the integrity check-up raised from more than one place, each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Conflict, Forbidden, Invalid, Refusal


class NotTheDeclarant(Refusal, Forbidden, rule="R-GATE-2", message="只有本人可以申报本人的廉情"):
    """R-GATE-2: a person declares for themself; nobody files a declaration in another's name."""


class NoSittingLeft(
    Refusal, Conflict, rule="R-GATE-1", message="该候选人已通过考试或补考未通过，不能再登记考试"
):
    """R-GATE-1: one exam and one make-up; after a pass, or a failed make-up (取消任职资格), no more."""


class BadBankFile(Refusal, Invalid, rule="R-GATE-1", message="题库文件有错误，未导入任何题目"):
    """R-GATE-1: a bank file with any row error imports nothing; detail.rows lists every error."""


class BankTooSmall(Refusal, Conflict, rule="R-GATE-1", message="题库中的题目不足以按组卷规则组卷"):
    """R-GATE-1: the bank cannot fill the blueprint; detail.short names every short cell."""
