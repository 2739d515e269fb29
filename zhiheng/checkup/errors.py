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


class NotTheCandidate(Refusal, Forbidden, rule="R-GATE-1", message="只有考生本人可以参加本人的在线考试"):
    """R-GATE-1: a candidate sits their own paper; nobody answers in another's name."""


class SittingClosed(Refusal, Conflict, rule="R-GATE-1", message="考试已交卷或已到截止时间，不能再作答"):
    """R-GATE-1: answers count only until the candidate submits or the time limit runs out."""


class SittingUnfinished(
    Refusal, Conflict, rule="R-GATE-1", message="该考生有尚未评阅的在线考试，须先评阅，才能登记或开始新的考试"
):
    """R-GATE-1: a started paper always becomes a sitting, in turn; a candidate cannot open a paper, see its
    questions and walk away to be given another or a result recorded by hand instead."""


class NotYetMarkable(
    Refusal, Conflict, rule="R-GATE-1", message="考生尚未交卷且未到截止时间，或试卷已评阅，不能评阅"
):
    """R-GATE-1: a sitting is marked once, after it is closed."""


class BadAnswers(Refusal, Invalid, rule="R-GATE-1", message="作答或评分有误，未保存"):
    """R-GATE-1: an answer to no question of the paper, an option the question lacks, or a mark out of
    range; detail.fields names each."""


class BadArchiveScheme(Refusal, Invalid, rule="R-GATE-3", message="廉政档案类别填写有误，未作任何修改"):
    """R-GATE-3: a district's list of categories with any error is not set; detail.lines (the page's text,
    by line number) or detail.fields (the API's JSON, by path) names every error."""


class ArchiveCodeInUse(Refusal, Conflict, rule="R-GATE-3", message="类别或子类仍有档案内容使用，不能删除"):
    """R-GATE-3: a category or subcategory the archive still files something under stays in the list (its
    name may change); detail.in_use names each."""


class BadArchiveEntry(Refusal, Invalid, rule="R-GATE-3", message="廉政档案记录填写有误"):
    """R-GATE-3: an archive entry outside the list in force, without a title, or dated in the future;
    detail.fields names each field."""
