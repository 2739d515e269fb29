"""A risk point's status, types and grading scales as choices, and its transition table (no queries):
draft → published (公示) → retired; a published point edited stays published (the change is recorded)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import OutOfOrder


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公示")
    RETIRED = "retired", _("已停用")


class RiskType(models.TextChoices):
    """The five types of integrity risk of the seed (Yongchuan: 五类廉政风险)."""

    MORALS = "morals", _("思想道德")
    INSTITUTIONS = "institutions", _("制度机制")
    DUTIES = "duties", _("岗位职责")
    PROCESS = "process", _("业务流程")
    ENVIRONMENT = "environment", _("外部环境")


class Grade(models.TextChoices):
    A = "A", _("A级（高）")
    B = "B", _("B级（较高）")
    C = "C", _("C级（一般）")
    D = "D", _("D级（低）")


# The four grading inputs' scales, 1 (lowest) to 5 (highest), with their Chinese labels.
IMPORTANCE = [(1, _("很低")), (2, _("较低")), (3, _("一般")), (4, _("重要")), (5, _("非常重要"))]
DISCRETION = [(1, _("很小")), (2, _("较小")), (3, _("一般")), (4, _("较大")), (5, _("很大"))]
PROBABILITY = [
    (1, _("极少发生")),
    (2, _("较少发生")),
    (3, _("可能发生")),
    (4, _("较易发生")),
    (5, _("经常发生")),
]
HARM = [(1, _("轻微")), (2, _("较小")), (3, _("一般")), (4, _("严重")), (5, _("特别严重"))]
SCALES = {"importance": IMPORTANCE, "discretion": DISCRETION, "probability": PROBABILITY, "harm": HARM}
INPUTS = tuple(SCALES)

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({Status.DRAFT}), Status.PUBLISHED),
    "retire": (frozenset({Status.DRAFT, Status.PUBLISHED}), Status.RETIRED),
    "edit": (frozenset({Status.DRAFT, Status.PUBLISHED}), ""),
    "review": (frozenset({Status.DRAFT, Status.PUBLISHED}), ""),
}


def allowed(state: str, action: str) -> bool:
    return state in TRANSITIONS[action][0]


def next_state(state: str, action: str) -> str:
    """Where `action` leads from `state` (the same state for edit and review), or the refusal (409)."""
    sources, target = TRANSITIONS[action]
    if state not in sources:
        raise OutOfOrder(detail={"status": state, "action": action})
    return target or state
