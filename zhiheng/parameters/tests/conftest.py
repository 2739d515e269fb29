"""A parameter set of the tests' own (an exam pass mark, as a later app would declare it), registered the
way every app registers its set; and the clock on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.ledger import events
from zhiheng.parameters import Context, ParameterSet, register

DAY = dt.date(2026, 3, 2)

events.register("test.exam_rules_set", "测试：考试规则设定")


def clean_exam(values: Mapping[str, Any], context: Context) -> dict[str, Any]:
    mark, retakes = values.get("pass_mark"), values.get("retakes")
    if mark is not None and not (isinstance(mark, int) and 1 <= mark <= 100):
        raise Invalid("R-EXAM-1", "考试规则无效", {"fields": {"pass_mark": ["须为 1–100 的整数"]}})
    return {"pass_mark": mark, "retakes": retakes}


EXAM = register(
    ParameterSet(
        namespace="test-exam",
        title="考试规则",
        rule="R-EXAM-1",
        action="设定考试规则",
        event="test.exam_rules_set",
        subject="exam-rules",
        labels={"pass_mark": "及格线", "retakes": "补考次数"},
        defaults={"pass_mark": 60, "retakes": 1},
        clean=clean_exam,
    )
)


@pytest.fixture
def today():
    with clock.frozen(clock.at(DAY)):
        yield DAY
