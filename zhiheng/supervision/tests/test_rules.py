"""The persona matrix of R-SUP-1: who sees a unit's reports, who acknowledges, who remarks — and the one read
path (selectors) agreeing with rules for each persona."""

from __future__ import annotations

import pytest

from zhiheng.core.errors import NotFound
from zhiheng.supervision import rules, selectors, services

from .conftest import FEB

pytestmark = pytest.mark.django_db

#            persona            sees   acknowledges  remarks
MATRIX = [
    ("principal", True, True, False),
    ("deputy", True, True, False),
    ("deputy2", True, True, False),
    ("inspector", True, True, True),
    ("admin", True, False, False),
    ("staff", False, False, False),
    ("outsider", False, False, False),
    ("other_admin", False, False, False),
    ("other_principal", False, False, False),
]


@pytest.mark.parametrize(("who", "sees", "acks", "remarks"), MATRIX)
def test_persona_matrix(sw, who, sees, acks, remarks):
    services.issue_report(unit=sw.unit, month=FEB)
    person = getattr(sw, who)
    assert rules.can_view_reports(person, sw.unit) is sees
    assert rules.can_acknowledge(person, sw.unit) is acks
    assert rules.can_remark(person, sw.unit) is remarks
    if sees:
        assert selectors.get_report_for(person, "t-unit", "2026-02").month == FEB
        assert [r.month for r in selectors.list_reports_for(person, "t-unit")] == [FEB]
    else:
        with pytest.raises(NotFound):
            selectors.get_report_for(person, "t-unit", "2026-02")
        with pytest.raises(NotFound):
            selectors.list_reports_for(person, "t-unit")


def test_missing_and_invisible_are_alike(sw):
    services.issue_report(unit=sw.unit, month=FEB)
    for code, month in (("t-unit", "2026-01"), ("no-such-unit", "2026-02")):
        with pytest.raises(NotFound):
            selectors.get_report_for(sw.principal, code, month)


def test_the_district_month_is_the_commissions(sw):
    services.issue_report(unit=sw.unit, month=FEB)
    _district, month, rows = selectors.district_month_for(sw.admin, "testdistrict", "2026-02")
    assert month == FEB and [r.unit.code for r in rows] == ["t-other", "t-unit"]
    assert rows[0].report is None and rows[1].total == 91000
    assert rows[1].missing_names == "张一把、李副甲、王副乙、赵副丙、陈纪检"
    for who in ("principal", "inspector", "other_admin", "staff"):
        with pytest.raises(NotFound):
            selectors.district_month_for(getattr(sw, who), "testdistrict", "2026-02")


def test_awaiting_acknowledgement_is_per_team_member(sw):
    report, _new = services.issue_report(unit=sw.unit, month=FEB)
    services.acknowledge(report=report, by=sw.principal)
    assert selectors.awaiting_acknowledgement(sw.principal, sw.unit) == []
    assert selectors.awaiting_acknowledgement(sw.deputy, sw.unit) == [report]
    assert selectors.awaiting_acknowledgement(sw.staff, sw.unit) == []
    assert selectors.unacknowledged_in(sw.district) == (1, 0)
