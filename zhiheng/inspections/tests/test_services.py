"""R-SUP-2 through the services: a check is a time-boxed read grant of the group that opened it, every
read under it is logged in the ledger (district scope), the sample replays from its seed, and findings go
through the rectification states. Every refusal names R-SUP-2 and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiheng.core import clock
from zhiheng.core.errors import Conflict, Forbidden, Invalid, NotFound
from zhiheng.inspections import sampling, selectors, services
from zhiheng.inspections.models import Finding, Inspection, Read
from zhiheng.ledger.models import Entry
from zhiheng.matters import selectors as matters
from zhiheng.meetings import selectors as meetings
from zhiheng.parameters.tests.factories import put


def small_matter_of(unit):
    """A matter of another unit, written directly: the test needs a row to be refused, not its story."""
    from zhiheng.matters.models import Matter

    first = Matter.objects.first()
    return Matter.objects.create(
        unit=unit,
        power=first.power,
        kind=first.kind,
        title="他单位事项",
        submitted_by=first.submitted_by,
        deputy=first.deputy,
    )


def _open(w, by=None, **kwargs) -> Inspection:
    return services.open_inspection(by=by or w.checker, unit=w.unit, **kwargs)


def test_a_check_lets_its_group_read_the_unit_and_logs_every_read(iw):
    with pytest.raises(NotFound):
        matters.get_matter_for(iw.checker, iw.small.pk)
    check = _open(iw)
    before = Entry.objects.count()
    assert matters.get_matter_for(iw.checker, iw.small.pk).pk == iw.small.pk
    assert meetings.get_meeting_for(iw.checker_b, iw.meeting.pk).pk == iw.meeting.pk  # same group
    reads = list(Read.objects.filter(inspection=check).order_by("pk"))
    assert [(r.person, r.what) for r in reads] == [
        (iw.checker, f"matter:{iw.small.pk}"),
        (iw.checker_b, f"meeting:{iw.meeting.pk}"),
    ]
    entries = list(Entry.objects.filter(index__gte=before).order_by("index"))
    assert [e.event_type for e in entries] == ["inspection.read", "inspection.read"]
    assert [r.ledger_index for r in reads] == [e.index for e in entries]
    # District scope: the unit (its inspector reads the unit's entries) does not see who looked at what.
    assert all(e.unit == "" and e.district == iw.district.code for e in entries)


def test_the_grant_is_the_groups_and_the_districts_only(iw):
    _open(iw)
    for outsider in (iw.checker2, iw.far_checker, iw.outsider):
        with pytest.raises(NotFound):
            matters.get_matter_for(outsider, iw.small.pk)
        with pytest.raises(NotFound):
            meetings.get_meeting_for(outsider, iw.meeting.pk)
    other = small_matter_of(iw.other_unit)
    assert not matters.list_matters_for(iw.checker, unit=iw.other_unit).exists()  # only the checked unit
    with pytest.raises(NotFound):
        matters.get_matter_for(iw.checker, other.pk)
    assert Read.objects.count() == 0


def test_reads_by_another_right_are_not_logged(iw):
    _open(iw)
    matters.get_matter_for(iw.principal, iw.small.pk)
    matters.get_matter_for(iw.admin, iw.small.pk)
    assert Read.objects.count() == 0


def test_an_expired_grant_reads_like_any_invisible_object(iw):
    check = _open(iw, days=3)
    with clock.frozen(check.expires_at + dt.timedelta(seconds=1)):
        with pytest.raises(NotFound):
            matters.get_matter_for(iw.checker, iw.small.pk)
        with pytest.raises(NotFound):
            meetings.get_meeting_for(iw.checker, iw.meeting.pk)
    assert Read.objects.count() == 0


def test_closing_ends_the_grant_at_once(iw):
    check = _open(iw)
    services.close_inspection(by=iw.checker_b, inspection=check, conclusion="未发现重大问题")
    with pytest.raises(NotFound):
        matters.get_matter_for(iw.checker, iw.small.pk)
    with pytest.raises(Conflict) as refused:
        services.close_inspection(by=iw.checker, inspection=check)
    assert refused.value.rule == "R-SUP-2"


def test_only_an_inspection_member_of_the_district_opens_a_check(iw):
    for person in (iw.principal, iw.inspector, iw.admin, iw.far_checker, iw.staff):
        with pytest.raises(Forbidden) as refused:
            _open(iw, by=person)
        assert refused.value.rule == "R-SUP-2"
    assert Inspection.objects.count() == 0


def test_the_grant_lasts_the_districts_days_and_no_longer_than_its_maximum(iw):
    check = _open(iw)
    assert check.expires_at - check.opened_at == dt.timedelta(days=30)
    put("inspections", district=iw.district, values={"grant_days": 10, "max_grant_days": 20})
    assert _open(iw).expires_at - clock.now() == dt.timedelta(days=10)
    for days in (0, 21, -1):
        with pytest.raises(Invalid) as refused:
            _open(iw, days=days)
        assert refused.value.rule == "R-SUP-2"
    assert Inspection.objects.count() == 2


def test_the_sample_replays_from_the_seed_in_the_ledger(iw):
    check = _open(iw)
    recorded = bytes(Entry.objects.get(event_type="inspection.opened").data).decode()
    population = sampling.from_rows(check.population)
    replayed = sampling.draw(check.seed, population, len(check.sample))
    assert [(c.kind, c.id) for c in replayed] == [(s["kind"], s["id"]) for s in check.sample]
    assert {(s["kind"], s["id"]) for s in check.sample} <= {(c.kind, c.id) for c in population}
    assert {("matter", iw.small.pk), ("matter", iw.large.pk), ("meeting", iw.meeting.pk)} == {
        (c.kind, c.id) for c in population
    }
    assert check.seed in recorded and sampling.digest(check.population) in recorded


def test_weights_favour_large_amounts_and_open_warnings(iw):
    from zhiheng.risk import services as risk

    population = {(c.kind, c.id): c for c in sampling.population_of(iw.unit)}
    assert population[("matter", iw.large.pk)].weight > population[("matter", iw.small.pk)].weight
    risk.raise_warning(
        rule="RF8", level="medium", unit=iw.unit, subject=f"matter:{iw.small.pk}", explanation="x", records=[]
    )
    boosted = {(c.kind, c.id): c for c in sampling.population_of(iw.unit)}
    assert boosted[("matter", iw.small.pk)].weight == pytest.approx(
        3 * population[("matter", iw.small.pk)].weight
    )
    assert "有未处理预警" in boosted[("matter", iw.small.pk)].reasons


@pytest.mark.parametrize("seed", ["a", "b", "c", "d"])
def test_draw_is_a_pure_function_of_seed_and_population(seed):
    population = [sampling.Candidate("matter", i, 1.0 + (i % 5)) for i in range(40)]
    first = sampling.draw(seed, population, 8)
    assert first == sampling.draw(seed, list(reversed(population)), 8)
    assert len({(c.kind, c.id) for c in first}) == 8


def test_heavier_candidates_are_drawn_more_often():
    population = [sampling.Candidate("matter", 1, 10.0)] + [
        sampling.Candidate("matter", i, 1.0) for i in range(2, 21)
    ]
    hits = sum(1 for n in range(400) if sampling.draw(f"s{n}", population, 1)[0].id == 1)
    # P(heavy first) = 10 / 29 ≈ 0.34 for Efraimidis–Spirakis; a uniform draw would give 0.05.
    assert 0.25 < hits / 400 < 0.45


def test_findings_go_from_the_group_to_the_unit_and_back(iw):
    check = _open(iw)
    finding = services.record_finding(
        by=iw.checker,
        inspection=check,
        title="采购未经集体决策",
        severity="high",
        deadline=iw.day + dt.timedelta(days=15),
        rule="R-MAT-3",
        evidence=[{"kind": "matter", "id": iw.large.pk}],
    )
    assert finding.owner == iw.principal and finding.state == "open"
    with pytest.raises(Forbidden):
        services.answer_rectification(by=iw.staff, finding=finding, response="已整改")
    with pytest.raises(Conflict):
        services.accept_rectification(by=iw.checker, finding=finding)
    finding = services.answer_rectification(by=iw.principal, finding=finding, response="已补开党组会")
    with pytest.raises(Forbidden):  # the unit does not accept its own rectification
        services.accept_rectification(by=iw.principal, finding=finding)
    with pytest.raises(Forbidden):  # nor does another group
        services.accept_rectification(by=iw.checker2, finding=finding)
    finding = services.return_rectification(by=iw.checker_b, finding=finding, reason="会议记录缺签字")
    assert finding.state == "open"
    finding = services.answer_rectification(by=iw.deputy, finding=finding, response="已补签")
    finding = services.accept_rectification(by=iw.checker, finding=finding, note="同意销号")
    assert finding.state == "accepted" and finding.accepted_at is not None
    codes = list(
        Entry.objects.filter(event_type__startswith="inspection.").values_list("event_type", flat=True)
    )
    assert codes.count("inspection.rectification_answered") == 2
    assert "inspection.rectification_returned" in codes and "inspection.rectification_accepted" in codes
    with pytest.raises(Conflict):
        services.answer_rectification(by=iw.principal, finding=finding, response="再次")


def test_a_finding_needs_a_title_a_severity_and_a_deadline_not_in_the_past(iw):
    check = _open(iw)
    with pytest.raises(Invalid) as refused:
        services.record_finding(
            by=iw.checker,
            inspection=check,
            title=" ",
            severity="grave",
            deadline=iw.day - dt.timedelta(days=1),
        )
    assert set(refused.value.detail["fields"]) == {"title", "severity", "deadline"}
    with pytest.raises(Invalid):
        services.record_finding(
            by=iw.checker, inspection=check, title="x", severity="low", deadline=iw.day, owner=iw.outsider
        )
    assert Finding.objects.count() == 0


def test_overdue_items_are_those_past_their_deadline_and_not_accepted(iw):
    check = _open(iw)
    finding = services.record_finding(
        by=iw.checker,
        inspection=check,
        title="台账不全",
        severity="low",
        deadline=iw.day + dt.timedelta(days=2),
    )
    assert not selectors.overdue().exists()
    with clock.frozen(clock.at(iw.day + dt.timedelta(days=3))):
        assert list(selectors.overdue()) == [finding]
        services.answer_rectification(by=iw.principal, finding=finding, response="已补齐")
        assert list(selectors.overdue()) == [finding]  # answered is not accepted
        services.accept_rectification(by=iw.checker, finding=finding)
        assert not selectors.overdue().exists()


def test_findings_can_be_written_up_after_the_grant_expires_but_not_after_the_close(iw):
    check = _open(iw, days=1)
    with clock.frozen(check.expires_at + dt.timedelta(hours=1)):
        services.record_finding(
            by=iw.checker, inspection=check, title="x", severity="low", deadline=iw.day + dt.timedelta(days=5)
        )
        services.close_inspection(by=iw.checker, inspection=check)
        with pytest.raises(Conflict):
            services.record_finding(
                by=iw.checker,
                inspection=check,
                title="y",
                severity="low",
                deadline=iw.day + dt.timedelta(days=5),
            )
    assert Finding.objects.count() == 1


def test_findings_about_a_person_for_the_integrity_archive(iw):
    check = _open(iw)
    deadline = iw.day + dt.timedelta(days=9)
    about = services.record_finding(
        by=iw.checker, inspection=check, title="a", severity="low", deadline=deadline, concerns=iw.deputy
    )
    owned = services.record_finding(
        by=iw.checker, inspection=check, title="b", severity="low", deadline=deadline
    )
    assert list(selectors.findings_about(iw.deputy, iw.day)) == [about]
    assert list(selectors.findings_about(iw.principal, iw.day)) == [about, owned]  # owner of both
    assert not selectors.findings_about(iw.deputy, iw.day + dt.timedelta(days=1)).exists()
    assert not selectors.findings_about(
        iw.deputy, iw.day - dt.timedelta(days=9), iw.day - dt.timedelta(days=1)
    ).exists()


def test_an_evidence_file_read_under_a_check_is_logged(iw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhiheng.matters import services as matter_services

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    evidence = matter_services.add_evidence(
        by=iw.staff, matter=iw.small, upload=SimpleUploadedFile("发票.pdf", pdf, "application/pdf")
    )
    _open(iw)
    matters.get_evidence_for(iw.checker, iw.small.pk, evidence.pk)
    assert list(Read.objects.values_list("kind", "ref")) == [
        ("matter", str(iw.small.pk)),
        ("evidence", str(evidence.pk)),
    ]
