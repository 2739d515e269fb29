"""The line diff is pure: its rows give back both texts, for any two (hypothesis), and read as people mark up
a draft."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiheng.unitrules.diffing import line_diff, lines, stats

LINES = st.lists(st.sampled_from(["第一条 总则", "第二条 审批", "第三条 监督", "", "附则"]), max_size=8)


@given(LINES, LINES)
def test_the_rows_give_back_both_texts(a, b):
    old, new = "\n".join(a), "\n".join(b)
    rows = line_diff(old, new)
    assert [r.text for r in rows if r.op != "insert"] == lines(old)
    assert [r.text for r in rows if r.op != "delete"] == lines(new)
    assert [r.old for r in rows if r.op != "insert"] == list(range(1, len(lines(old)) + 1))


def test_a_changed_line_is_deleted_then_inserted():
    rows = line_diff(
        "第一条 总则\n第二条 五万元以上集体会审", "第一条 总则\n第二条 三万元以上集体会审\n第三条 附则"
    )
    assert [(r.op, r.text) for r in rows] == [
        ("equal", "第一条 总则"),
        ("delete", "第二条 五万元以上集体会审"),
        ("insert", "第二条 三万元以上集体会审"),
        ("insert", "第三条 附则"),
    ]
    assert stats(rows) == {"inserted": 2, "deleted": 1}
