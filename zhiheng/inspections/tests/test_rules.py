"""The persona matrix (decision 0013): for every persona, action and state, a button shows exactly when the
service would succeed — `rules.can_*` and the services cannot disagree (R-SUP-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from zhiheng.core.errors import DomainError
from zhiheng.inspections import rules, services
from zhiheng.inspections.models import Finding, Inspection

PERSONAS = (
    "checker",
    "checker_b",
    "checker2",
    "far_checker",
    "principal",
    "deputy",
    "inspector",
    "staff",
    "admin",
    "outsider",
)


class _Undo(Exception):
    """Raised inside a savepoint to undo a service that succeeded."""


def _succeeds(call) -> bool:
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


def _finding(w, check: Inspection, state: str) -> Finding:
    finding = services.record_finding(
        by=w.checker, inspection=check, title="问题", severity="low", deadline=w.day + dt.timedelta(days=9)
    )
    if state in ("answered", "accepted"):
        finding = services.answer_rectification(by=w.principal, finding=finding, response="已整改")
    if state == "accepted":
        finding = services.accept_rectification(by=w.checker, finding=finding)
    return finding


@pytest.mark.parametrize("closed", [False, True])
def test_check_buttons_agree_with_the_services(iw, closed):
    check = services.open_inspection(by=iw.checker, unit=iw.unit)
    if closed:
        check = services.close_inspection(by=iw.checker, inspection=check)
    deadline = iw.day + dt.timedelta(days=5)
    for name in PERSONAS:
        person = getattr(iw, name)
        assert rules.can_open(person, iw.unit) == _succeeds(
            lambda p=person: services.open_inspection(by=p, unit=iw.unit)
        ), name
        assert rules.can_close(person, check) == _succeeds(
            lambda p=person: services.close_inspection(by=p, inspection=check)
        ), name
        assert rules.can_record(person, check) == _succeeds(
            lambda p=person: services.record_finding(
                by=p, inspection=check, title="x", severity="low", deadline=deadline
            )
        ), name


@pytest.mark.parametrize("state", ["open", "answered", "accepted"])
def test_rectification_buttons_agree_with_the_services(iw, state):
    check = services.open_inspection(by=iw.checker, unit=iw.unit)
    finding = _finding(iw, check, state)
    for name in PERSONAS:
        person = getattr(iw, name)
        actions = rules.finding_actions(person, finding)
        assert actions["answer"] == _succeeds(
            lambda p=person: services.answer_rectification(by=p, finding=finding, response="说明")
        ), name
        assert actions["accept"] == _succeeds(
            lambda p=person: services.accept_rectification(by=p, finding=finding)
        ), name
        assert actions["return"] == _succeeds(
            lambda p=person: services.return_rectification(by=p, finding=finding, reason="不到位")
        ), name


def test_who_reads_the_log(iw):
    check = services.open_inspection(by=iw.checker, unit=iw.unit)
    during = {n for n in PERSONAS if rules.can_read_log(getattr(iw, n), check)}
    assert during == {"checker", "checker_b", "admin"}
    check = services.close_inspection(by=iw.checker, inspection=check)
    after = {n for n in PERSONAS if rules.can_read_log(getattr(iw, n), check)}
    assert after == {"checker", "checker_b", "admin", "principal", "deputy", "inspector"}
