"""The review flag is one thing wherever it shows (R-GATE-6): the register's badge (flags_for, read in bulk),
the point's page (incidents_of), the review list and the 工作台 tile (due_for_review) agree for every
persona, as findings, warnings and reports land on the point's power after its last review — and each
persona is flagged only by what they may know of (a warning never flags the point for the principal, a
report only for the district's handlers)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.inspections import services as inspections
from zhiheng.inspections.tests.conftest import build_inspections_world
from zhiheng.reports import services as reports
from zhiheng.reports.models import Report
from zhiheng.risk import services as risk
from zhiheng.riskregister import selectors, services
from zhiheng.riskregister.models import RiskPoint

from .conftest import at_day, mw, propose

__all__ = ["at_day", "mw"]
pytestmark = pytest.mark.django_db
PERSONAS = ("admin", "principal", "deputy", "inspector", "staff", "outsider", "other_admin", "checker")


@pytest.fixture
def ow(world, at_day, settings, tmp_path):
    settings.REPORTS_KEY_FILE = str(tmp_path / "reports-keys")
    world.day = at_day
    w = build_inspections_world(world)
    w.point = services.publish_point(by=w.principal, point=propose(w))
    w.other = services.publish_point(by=w.principal, point=propose(w, power="procurement", by=w.inspector))
    return w


def flagged(w) -> dict[str, set[int]]:
    """{persona: the points flagged for them}, after checking the three readings agree."""
    out = {}
    for name in PERSONAS:
        person = getattr(w, name)
        points = list(RiskPoint.objects.select_related("unit", "power", "owner"))
        flags = selectors.flags_for(points, person)
        for p in points:
            assert flags[p.pk] == selectors.incidents_of(p, person).needs_review, (name, p.pk)
        listed = {p.pk for p in selectors.due_for_review(person)}
        assert listed <= {pk for pk, flag in flags.items() if flag}, name
        out[name] = listed
    return out


def test_each_persona_is_flagged_by_what_they_may_know_of(ow):
    assert all(not points for points in flagged(ow).values())
    later = clock.at(ow.day, 15)
    with clock.frozen(later):
        risk.raise_warning(
            rule="RF2",
            level="high",
            unit=ow.unit,
            subject=ow.large.subject,
            explanation="拆分采购",
            records=[],
        )
    seen = flagged(ow)
    # the inspector and the commission are told; the principal and the deputies never learn of a warning
    assert seen["inspector"] == seen["admin"] == {ow.point.pk}
    assert seen["principal"] == seen["deputy"] == seen["staff"] == seen["outsider"] == set()

    with clock.frozen(later + dt.timedelta(hours=1)):
        services.review_point(by=ow.deputy, point=RiskPoint.objects.get(pk=ow.point.pk))
    assert all(not points for points in flagged(ow).values())

    # a report about a matter of the power: a count for the district's handlers, nothing for anyone else
    with clock.frozen(later + dt.timedelta(hours=2)):
        receipt = reports.receive(
            by=None, channel="web", subject="反映采购问题", body="内容", unit=ow.unit.code
        )
    Report.objects.filter(pk=receipt.report.pk).update(matter=ow.large)
    seen = flagged(ow)
    assert seen["admin"] == {ow.point.pk}
    assert seen["inspector"] == seen["principal"] == seen["deputy"] == set()

    # a finding of a check whose evidence names the matter: the unit answers it, so the team is told
    with clock.frozen(later + dt.timedelta(hours=3)):
        check = inspections.open_inspection(by=ow.checker, unit=ow.unit)
        inspections.record_finding(
            by=ow.checker,
            inspection=check,
            title="采购未经集体决策",
            severity="high",
            deadline=ow.day + dt.timedelta(days=15),
            evidence=[{"kind": "matter", "id": ow.large.pk}],
        )
    seen = flagged(ow)
    assert seen["principal"] == seen["deputy"] == seen["inspector"] == seen["admin"] == {ow.point.pk}
    assert seen["outsider"] == seen["other_admin"] == set()
    assert ow.other.pk not in set().union(*seen.values())  # another power's point is untouched
