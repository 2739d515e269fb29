"""The `rw` fixture: the matters world (zhiheng/matters/tests/conftest.py: finance is `deputy`'s, the unit's
inspector is `inspector`) with a draft risk point on finance proposed by the deputy in charge, on DAY."""

from __future__ import annotations

import pytest

from zhiheng.matters.tests.conftest import at_day, build_matters_world, mw
from zhiheng.riskregister import services

__all__ = ["at_day", "mw", "rw"]


def propose(w, power: str = "finance", by=None, **kw):
    values = {
        "description": "虚报冒领、套取财政资金",
        "type": "process",
        "importance": 4,
        "discretion": 3,
        "probability": 3,
        "harm": 4,
        "measures": "支出双人复核，月度明细报纪检组长",
        "owner": w.deputy,
    }
    values.update(kw)
    return services.propose_point(by=by or w.deputy, power=w.power[power], **values)


@pytest.fixture
def rw(world, at_day):
    w = build_matters_world(world)
    w.day = at_day
    w.point = propose(w)
    return w
