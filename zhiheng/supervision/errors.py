"""Refusals of the supervision app, each naming its SPEC rule."""

from __future__ import annotations

from zhiheng.core.errors import Forbidden, Invalid, Refusal


class NotOnTheTeam(Refusal, Forbidden, rule="R-SUP-1", message="只有本单位领导班子成员可以确认月度财务明细"):
    """R-SUP-1: the principal and the team (deputies, unit inspector) acknowledge the report; nobody else."""


class NotTheInspector(Refusal, Forbidden, rule="R-SUP-1", message="只有本单位纪检组长可以填写纪检意见"):
    """R-SUP-1: remarks on a report are the unit inspector's."""


class BadMonth(Refusal, Invalid, rule="validation", message="月份格式应为 YYYY-MM"):
    """A month that is not "YYYY-MM" (or not a real month)."""


class EmptyRemark(Refusal, Invalid, rule="validation", message="请填写意见内容"):
    """A remark without text."""
