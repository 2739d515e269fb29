"""R-GATE-5: what a tour records and who may record it — each test fails when its rule is broken."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.checkup import selectors as checkup
from zhiheng.checkup.models import ArchiveEntry
from zhiheng.core import clock
from zhiheng.core.errors import DomainError, Forbidden, NotFound
from zhiheng.ledger.models import Entry
from zhiheng.parameters import set_values
from zhiheng.tours import selectors, services
from zhiheng.tours.errors import BadTour, NotTheUnit, NotTourStaff, OpenRectifications, OutOfOrder, TourDone
from zhiheng.tours.models import Rectification, Tour

from .conftest import open_tour, run_to

pytestmark = pytest.mark.django_db


def _rectify(w, **kw):
    values = {"unit": w.unit, "title": "公务接待超标准", "deadline": w.day + dt.timedelta(days=30)}
    values.update(kw)
    return services.open_rectification(by=w.group, tour=w.tour, **values)


def test_a_tour_names_each_unit_with_its_principal_then_and_copies_the_method(tw):
    targets = {t.unit_code: t for t in tw.tour.targets.all()}
    assert targets["t-unit"].principal == tw.principal
    assert targets["t-other"].principal == tw.other_principal
    assert len(tw.tour.steps) == 9 and len(tw.tour.ways) == 6 and len(tw.tour.measures) == 8
    assert Entry.objects.filter(event_type="tours.opened", subject=tw.tour.subject).count() == 1


def test_the_district_names_its_own_steps(tw):
    steps = ["准备", "进驻", "了解", "报告", "反馈"]
    set_values("tours", by=tw.admin, district=tw.district, values={"steps": "\n".join(steps)})
    assert open_tour(tw, title="第二轮").steps == steps
    assert Tour.objects.get(pk=tw.tour.pk).steps[0] == "巡察准备"  # the tour under way keeps its own


def test_only_the_commission_opens_a_tour(tw):
    for who in (tw.group, tw.principal, tw.other_admin, tw.outsider):
        with pytest.raises(Forbidden):
            open_tour(tw, title="x") if who is None else services.open_tour(
                by=who, district=tw.district, title="x", units=[tw.unit], team=[tw.group]
            )


def test_nobody_of_a_toured_unit_sits_on_the_team(tw):
    with pytest.raises(BadTour) as refused:
        open_tour(tw, team=[tw.group, tw.admin, tw.inspector])
    assert "team" in refused.value.detail["fields"]
    with pytest.raises(BadTour):
        open_tour(tw, team=[tw.outsider])


def test_the_principal_neither_reads_the_tour_nor_writes_to_it(tw):
    for who in (tw.principal, tw.inspector, tw.other_principal, tw.group2, tw.outsider, tw.other_admin):
        with pytest.raises(NotFound):
            selectors.get_tour_for(who, tw.tour.pk)
        with pytest.raises(NotTourStaff):
            services.record_opinions(by=who, tour=tw.tour, way="个别谈话", count=3, unit=tw.unit)
    assert selectors.get_tour_for(tw.group, tw.tour.pk) == tw.tour
    assert selectors.get_tour_for(tw.admin, tw.tour.pk) == tw.tour


def test_opinions_are_counted_by_one_of_the_tours_ways(tw):
    services.record_opinions(by=tw.group, tour=tw.tour, way="问卷调查", count=120, unit=tw.unit)
    services.record_opinions(by=tw.group, tour=tw.tour, way="个别谈话", count=8)
    with pytest.raises(BadTour):
        services.record_opinions(by=tw.group, tour=tw.tour, way="道听途说", count=1)
    with pytest.raises(BadTour):
        services.record_opinions(by=tw.group, tour=tw.tour, way="个别谈话", count=0)
    with pytest.raises(BadTour):
        services.record_opinions(
            by=tw.group, tour=tw.tour, way="个别谈话", collected_on=tw.day + dt.timedelta(1)
        )
    by_way = {w.way: w.count for w in selectors.opinions_by_way(selectors.get_tour_for(tw.admin, tw.tour.pk))}
    assert by_way["问卷调查"] == 120 and by_way["个别谈话"] == 8 and by_way["实地走访"] == 0
    assert selectors.get_tour_for(tw.admin, tw.tour.pk).n_opinions == 128


def test_the_unit_answers_and_the_team_closes_with_evidence(tw):
    item = _rectify(tw)
    with pytest.raises(NotTheUnit):
        services.answer_rectification(by=tw.deputy, item=item, response="已整改")
    with pytest.raises(OutOfOrder):  # closing what the unit has not reported on
        services.close_rectification(by=tw.group, item=item, evidence="退回超标准费用")
    services.answer_rectification(by=tw.principal, item=item, response="已退回超标准费用并通报")
    with pytest.raises(NotTourStaff):  # the principal closing their own unit's rectification
        services.close_rectification(by=tw.principal, item=item, evidence="已整改")
    with pytest.raises(BadTour) as refused:
        services.close_rectification(by=tw.group, item=item, evidence="  ")
    assert "evidence" in refused.value.detail["fields"]
    closed = services.close_rectification(by=tw.group, item=item, evidence="退款凭证及通报文件")
    assert (closed.state, closed.closed_on, closed.closed_by) == ("accepted", tw.day, tw.group)
    with pytest.raises(OutOfOrder):
        services.close_rectification(by=tw.group, item=closed, evidence="再次")


def test_a_closure_is_not_back_dated(tw):
    with clock.frozen(clock.at(tw.day + dt.timedelta(days=20), 10)):
        item = _rectify(tw, deadline=tw.day + dt.timedelta(days=60))
    with clock.frozen(clock.at(tw.day + dt.timedelta(days=30), 10)):
        services.answer_rectification(by=tw.inspector, item=item, response="已整改")
    with clock.frozen(clock.at(tw.day + dt.timedelta(days=40), 10)):
        for day in (
            tw.day + dt.timedelta(days=29),
            tw.day + dt.timedelta(days=10),
            tw.day + dt.timedelta(days=41),
        ):
            with pytest.raises(BadTour):  # before the report (and the opening), or tomorrow
                services.close_rectification(by=tw.group, item=item, evidence="凭证", closed_on=day)
        with pytest.raises(
            BadTour
        ):  # beyond the district's allowance of 7 days... the report was 10 days ago
            services.close_rectification(
                by=tw.group, item=item, evidence="凭证", closed_on=tw.day + dt.timedelta(31)
            )
        done = services.close_rectification(
            by=tw.group, item=item, evidence="凭证", closed_on=tw.day + dt.timedelta(35)
        )
    assert done.closed_on == tw.day + dt.timedelta(35)


def test_overdue_and_due_soon(tw):
    late = _rectify(tw, deadline=tw.day + dt.timedelta(days=3))
    _rectify(tw, deadline=tw.day + dt.timedelta(days=100))
    qs = selectors.of_district(tw.district)
    assert list(selectors.due_soon(qs, tw.district)) == [late]
    assert list(selectors.overdue(qs, tw.day + dt.timedelta(days=4))) == [late]
    assert selectors.overdue_item(late, tw.day + dt.timedelta(days=4))


def test_the_tour_is_not_done_while_a_rectification_is_open(tw):
    item = _rectify(tw)
    run_to(tw, tw.tour, 8)
    with pytest.raises(OpenRectifications):
        services.advance_step(by=tw.group, tour=tw.tour)
    services.answer_rectification(by=tw.principal, item=item, response="已整改")
    with pytest.raises(OpenRectifications):  # answered is not closed
        services.advance_step(by=tw.group, tour=tw.tour)
    services.close_rectification(by=tw.group, item=item, evidence="凭证")
    tour = services.advance_step(by=tw.group, tour=tw.tour)
    assert tour.done_on == tw.day
    with pytest.raises(TourDone):
        services.advance_step(by=tw.group, tour=tour)
    with pytest.raises(TourDone):
        _rectify(tw)


def test_results_reach_the_principals_archive_unseen_by_them(tw):
    services.record_opinions(by=tw.group, tour=tw.tour, way="个别谈话", count=5, unit=tw.unit)
    services.transfer_lead(by=tw.group, tour=tw.tour, unit=tw.unit, summary="涉嫌违规发放津贴")
    run_to(tw, tw.tour, 9)
    entry = ArchiveEntry.objects.get(person=tw.principal, category="supervision", subcategory="tour")
    assert entry.source.startswith("tour-target:")
    assert entry in checkup.archive_entries_of(tw.principal, tw.admin)
    assert entry not in checkup.archive_entries_of(tw.principal, tw.principal)
    assert ArchiveEntry.objects.filter(person=tw.other_principal, subcategory="tour").count() == 1


def test_a_lead_is_recorded_against_a_targeted_unit_in_the_district_ledger(tw):
    lead = services.transfer_lead(by=tw.group, tour=tw.tour, unit=tw.unit, summary="涉嫌虚报冒领")
    entry = Entry.objects.get(event_type="tours.lead_transferred")
    assert tw.principal.username in entry.text and "涉嫌" not in entry.text  # the text only as its SHA-256
    assert entry.district == tw.district.code and not entry.unit  # not in the unit's ledger
    assert lead.target.unit == tw.unit
    with pytest.raises(BadTour):
        services.transfer_lead(by=tw.group, tour=tw.tour, unit=tw.unit, summary="")


def test_history_is_written_in_bulk_with_one_entry_a_tour(tw):
    tour = services.record_history(
        by=None,
        district=tw.district,
        tour=services.HistoricalTour(
            title="2008年巡察",
            started_on=dt.date(2008, 4, 1),
            done_on=dt.date(2008, 9, 30),
            targets=[("old-town", "老镇", None, "王某")],
            opinions=[("个别谈话", 40, "old-town")],
            rectifications=[
                ("old-town", "财务制度不健全", dt.date(2008, 8, 1), dt.date(2008, 7, 20), "制度文件")
            ],
            leads=[("old-town", "线索")],
        ),
    )
    assert selectors.get_tour_for(tw.admin, tour.pk).n_closed == 1
    assert Entry.objects.filter(event_type="tours.history_recorded").count() == 1
    assert Rectification.objects.filter(tour=tour, state="accepted").count() == 1
    with pytest.raises(DomainError):
        services.record_history(
            by=tw.principal,
            district=tw.district,
            tour=services.HistoricalTour(
                title="x", started_on=dt.date(2008, 1, 1), done_on=dt.date(2008, 2, 1), targets=[]
            ),
        )
