"""The demo's red-flag histories (steps/redflags.py) really trigger their flags through the scan, and the
demo shows warnings of at least six kinds (issue 15)."""

from __future__ import annotations

import pytest

from .test_seed_stories import api, demo  # noqa: F401  the demo, built once for this module

pytestmark = pytest.mark.django_db


def test_the_demo_histories_raise_their_red_flags(api):  # noqa: F811
    def units(district: str, rule: str) -> set[str]:
        return {w["unit"] for w in api(f"{district}-admin").items("/api/v1/warnings", rule=rule)}

    assert "yc-ztz" in units("yongchuan", "RF2")
    assert "yc-slz" in units("yongchuan", "RF4")
    assert "jb-gyq" in units("jiangbei", "RF9") and "jb-gyq" in units("jiangbei", "RF10")
    waits = api("nanchuan-admin").items("/api/v1/warnings", rule="RF7", unit="nc-ncjd")
    assert any("电脑耗材货款结算" in w["explanation"] for w in waits), (
        "the supplier's long wait is an outlier"
    )
    kinds = {
        w["rule"]
        for d in ("jiangbei", "nanchuan", "yongchuan")
        for w in api(f"{d}-admin").items("/api/v1/warnings")
    }
    assert len(kinds) >= 6, kinds
    rf9 = api("jiangbei-admin").items("/api/v1/warnings", rule="RF9", unit="jb-gyq")[0]
    assert "偶然出现的概率为" in rf9["explanation"] and rf9["owner"] == "jb-gyq-inspector"
