"""The 工作台's sections per role (issue 13): what each role is told, and that nobody is told what they may
not see — the principal never the warnings about themself (SPEC §1, R-GATE-7), a deputy of one unit nothing
of another (R-MAT-8), an inspection group only its own district (R-SUP-2)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.org.tests.factories import DistrictRoleFactory, MembershipFactory, PersonFactory
from zhiheng.risk import services as risk
from zhiheng.risk.models import Warning
from zhiheng.workbench import sections
from zhiheng.workbench import selectors as s

pytestmark = pytest.mark.django_db
TERM_START = dt.date(2012, 1, 1)


def by_role(person) -> dict[str, sections.Section]:
    return {sec.role: sec for sec in sections.build(person)[1]}


def tiles(sec: sections.Section) -> dict[str, int | str]:
    return {t.key: t.count for t in sec.tiles}


def _other_unit_warning(wb) -> None:
    """A warning about the other unit of the district (RF4), which the principal does not lead."""
    risk.raise_warning(
        rule="RF4",
        level="medium",
        unit=wb.other_unit,
        subject="unit:t-other",
        explanation="另一局集中采购",
        records=[],
    )


def test_each_role_gets_its_own_section(wb):
    assert list(by_role(wb.admin)) == ["commission_admin"]
    assert list(by_role(wb.principal)) == ["principal"]
    assert list(by_role(wb.deputy)) == ["deputy"]
    assert list(by_role(wb.inspector)) == ["inspector"]
    assert list(by_role(wb.staff)) == ["staff"]
    assert list(by_role(wb.group)) == ["inspection"]
    assert by_role(wb.outsider) == {}


def test_admin_sees_warnings_waits_and_collective_review_of_the_district(wb):
    sec = by_role(wb.admin)["commission_admin"]
    counts = tiles(sec)
    assert counts["warnings-high"] == 1  # the principal's refused approval (RF1)
    assert counts["meetings-open"] == 1
    assert [u["unit"] for u in sec.panels["warnings_by_unit"]] == ["t-unit"]
    waits = sec.panels["waits"]
    # Longest first: the co-sign waiting 40 days for three signers, then the decision waiting 20 days.
    assert waits[0]["matter"] == wb.cosign_matter and waits[0]["days"] == 40
    assert waits[0]["signers"].split("、") == ["王副乙", "李副甲", "陈纪检"]
    assert waits[1]["matter"] == wb.waiting and waits[1]["days"] == 20 and waits[1]["signers"] == "李副甲"
    assert sec.panels["collective"][0]["count"] == 1  # the vetoed matter awaits the team
    signer_chart = sec.charts[0]
    assert signer_chart.spec["series"][0]["data"][0] == "40"


def test_other_districts_admin_sees_nothing_of_this_district(wb):
    sec = by_role(wb.other_admin)["commission_admin"]
    assert tiles(sec)["warnings-high"] == 0 and tiles(sec)["meetings-open"] == 0
    assert sec.panels["waits"] == [] and sec.panels["collective"] == []


def test_principal_sees_the_unit_at_a_glance_and_never_a_warning(wb):
    sec = by_role(wb.principal)["principal"]
    counts = tiles(sec)
    assert counts["state-submitted"] >= 2 and counts["state-vetoed"] == 1 and counts["vetoes"] == 1
    assert counts["state-awaiting_cosign"] == 1 and counts["awaiting"] == 1
    assert [v.matter for v in sec.panels["vetoes"]] == [wb.vetoed]
    assert [r["meeting"] for r in sec.panels["meetings"]] == [wb.meeting]
    assert sec.panels["meetings"][0]["chair"] is True
    assert {d["d"].username for d in sec.panels["deputies"]} == {"t-deputy", "t-deputy2"}
    assert "warnings" not in str(sec.tiles) and not any("RF1" in str(t.label) for t in sec.tiles)
    assert Warning.objects.filter(unit=wb.unit, rule="RF1").count() == 1  # it exists, just not for them


def test_a_principal_who_also_inspects_elsewhere_sees_that_units_warnings_not_their_own(wb):
    MembershipFactory(person=wb.principal, unit=wb.other_unit, role="inspector", start=TERM_START)
    _other_unit_warning(wb)
    parts = by_role(wb.principal)
    assert set(parts) == {"principal", "inspector"}
    inspector = parts["inspector"]
    assert inspector.panels["unit"] == wb.other_unit
    assert tiles(inspector)["warnings-open"] == 1 and tiles(inspector)["rf1"] == 0
    # The risk app would show the inspector every warning they supervise; the 工作台 drops their own unit's.
    roles = s.roles_of(wb.principal)
    assert list(s.warnings_for(wb.principal, roles).values_list("unit__code", flat=True)) == ["t-other"]


def test_a_principal_who_is_also_a_commission_admin_never_counts_their_own_units_warnings(wb):
    DistrictRoleFactory(person=wb.principal, district=wb.district, role="commission_admin", start=TERM_START)
    _other_unit_warning(wb)
    admin = by_role(wb.principal)["commission_admin"]
    # The district's admins see both units' warnings; this one sees the other unit's only.
    assert [u["unit"] for u in by_role(wb.admin)["commission_admin"].panels["warnings_by_unit"]] == [
        "t-unit",
        "t-other",
    ]
    assert [u["unit"] for u in admin.panels["warnings_by_unit"]] == ["t-other"]
    assert tiles(admin)["warnings-high"] == 0 and tiles(admin)["warnings-medium"] == 1


def test_deputy_sees_inbox_cosigns_powers_and_lines(wb):
    sec = by_role(wb.deputy)["deputy"]
    counts = tiles(sec)
    assert counts["inbox-decide"] >= 2 and counts["inbox-cosign"] == 1 and counts["to-state"] == 1
    assert {p.code for p in sec.panels["powers"]} == {"finance"}
    assert [r["line"].code for r in sec.panels["lines"]] == ["office"]
    assert sec.panels["inbox"][0]["matter"] == wb.cosign_matter  # the oldest wait first


def test_deputy_is_asked_to_state_until_they_have(wb):
    from zhiheng.meetings import services as meetings

    sec = by_role(wb.deputy)["deputy"]
    assert tiles(sec)["to-state"] == 1 and sec.panels["meetings"][0]["meeting"] == wb.meeting
    meetings.record_attendance(
        by=wb.principal, meeting=wb.meeting, present=[wb.principal, wb.deputy, wb.deputy2, wb.deputy3]
    )
    item = wb.meeting.items.get()
    meetings.state(by=wb.deputy, item=item, position="agree", reason="预算已落实")
    sec = by_role(wb.deputy)["deputy"]
    assert tiles(sec)["to-state"] == 0 and sec.panels["meetings"] == []
    assert tiles(by_role(wb.deputy2)["deputy"])["to-state"] == 1


def test_deputy_of_another_unit_sees_nothing_of_this_one(wb):
    other_deputy = PersonFactory(username="t-other-deputy", name="他局副职")
    MembershipFactory(person=other_deputy, unit=wb.other_unit, role="deputy", start=TERM_START)
    sec = by_role(other_deputy)["deputy"]
    assert sec.panels["unit"] == wb.other_unit
    assert all(t.count == 0 for t in sec.tiles)
    assert sec.panels["inbox"] == [] and sec.panels["meetings"] == [] and sec.panels["lines"] == []


def test_inspector_sees_the_units_warnings_and_the_principals_attempts(wb):
    sec = by_role(wb.inspector)["inspector"]
    counts = tiles(sec)
    assert counts["warnings-open"] == 1 and counts["warnings-high"] == 1 and counts["rf1"] == 1
    assert "支付印刷费" in sec.panels["rf1"][0].records[0]["title"]
    assert [r["meeting"] for r in sec.panels["meetings"]] == [wb.meeting]
    assert counts["collective"] == 1


def test_staff_sees_their_matters_and_what_each_waits_for(wb):
    sec = by_role(wb.staff)["staff"]
    rows = {r["matter"].title: r["waits"] for r in sec.panels["rows"]}
    assert rows["支付会议室租金"] == "待分管副职 李副甲 审批"
    assert rows["采购执法记录仪"] == "待会签：王副乙、李副甲、陈纪检"
    assert rows["购买茶叶"] == "待班子会议集体会审"
    other = by_role(wb.staff2)["staff"]
    assert other.panels["rows"] == [] and tiles(other)["open"] == 0


def test_inspection_group_sees_its_districts_units_and_open_meetings_only(wb):
    sec = by_role(wb.group)["inspection"]
    assert [r["unit"].code for r in sec.panels["units"]] == ["t-other", "t-unit"]
    assert [r["meeting"] for r in sec.panels["meetings"]] == [wb.meeting]
    assert sec.panels["meetings"][0]["observed"] is False
    far = by_role(wb.far_group)["inspection"]
    assert far.panels["units"] == [] and far.panels["meetings"] == []


def test_months_back_ends_with_this_month():
    months = s.months_back(dt.date(2026, 3, 2))
    assert len(months) == 12 and months[0] == dt.date(2025, 4, 1) and months[-1] == dt.date(2026, 3, 1)
