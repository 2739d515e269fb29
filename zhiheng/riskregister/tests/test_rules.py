"""Persona matrix (R-GATE-6): for every persona, each `can_<verb>` is True exactly when the service
succeeds; a refusal changes nothing and writes no ledger entry. Who reads what, and 404 to outsiders."""

from __future__ import annotations

import pytest

from zhiheng.core.errors import DomainError, NotFound
from zhiheng.ledger.models import Entry
from zhiheng.riskregister import rules, selectors, services
from zhiheng.riskregister.models import RiskPoint

from .conftest import propose

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "principal",
    "deputy",
    "deputy2",
    "inspector",
    "staff",
    "outsider",
    "other_principal",
    "other_admin",
]


def _attempt(rw, persona, verb, can, call):
    person = getattr(rw, persona)
    point = RiskPoint.objects.get(pk=rw.point.pk)
    allowed = can(person, point)
    entries, version = Entry.objects.count(), point.version
    try:
        call(person, point)
        done = True
    except DomainError:
        done = False
    assert done == allowed, (persona, verb)
    if not done:
        assert Entry.objects.count() == entries
        assert RiskPoint.objects.get(pk=point.pk).version == version
    return done


@pytest.mark.parametrize("persona", PERSONAS)
def test_editing_is_for_the_deputy_in_charge_and_the_inspector(rw, persona):
    done = _attempt(
        rw, persona, "edit", rules.can_edit, lambda p, pt: services.edit_point(by=p, point=pt, harm=5)
    )
    assert done == (persona in {"deputy", "inspector"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_proposing_is_for_the_deputy_in_charge_and_the_inspector(rw, persona):
    person = getattr(rw, persona)
    assert rules.can_propose(person, rw.power["finance"]) == (persona in {"deputy", "inspector"})
    entries = Entry.objects.count()
    try:
        propose(rw, by=person)
        done = True
    except DomainError:
        done = False
        assert Entry.objects.count() == entries
    assert done == (persona in {"deputy", "inspector"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_publishing_is_for_the_principal_and_the_inspector(rw, persona):
    done = _attempt(
        rw, persona, "publish", rules.can_publish, lambda p, pt: services.publish_point(by=p, point=pt)
    )
    assert done == (persona in {"principal", "inspector"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_retiring_is_for_the_inspector_and_the_commission_never_the_principal(rw, persona):
    done = _attempt(
        rw,
        persona,
        "retire",
        rules.can_retire,
        lambda p, pt: services.retire_point(by=p, point=pt, reason="职权划转"),
    )
    assert done == (persona in {"inspector", "admin"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_requiring_a_review_is_for_the_commission_and_the_inspector(rw, persona):
    done = _attempt(
        rw,
        persona,
        "require_review",
        rules.can_require_review,
        lambda p, pt: services.require_review(by=p, point=pt, reason="预警增多"),
    )
    assert done == (persona in {"inspector", "admin"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_reviewing_is_for_the_deputy_in_charge_and_the_inspector(rw, persona):
    done = _attempt(
        rw, persona, "review", rules.can_review, lambda p, pt: services.review_point(by=p, point=pt)
    )
    assert done == (persona in {"deputy", "inspector"})


def test_the_principal_cannot_regrade_even_a_power_they_once_held(rw):
    """The principal holds no power directly (R-DIV) and is no editor of the register, whatever they held."""
    services.publish_point(by=rw.principal, point=rw.point)
    with pytest.raises(DomainError) as refused:
        services.edit_point(by=rw.principal, point=rw.point, harm=1, importance=1, reason="不再是风险")
    assert refused.value.rule == "R-GATE-6" and refused.value.status == 403


READ_DRAFT = {"admin", "principal", "deputy", "deputy2", "inspector"}
READ_PUBLISHED = READ_DRAFT | {"staff"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_drafts_are_the_teams_and_the_published_register_the_units(rw, persona):
    person = getattr(rw, persona)
    draft = rw.point
    published = services.publish_point(by=rw.principal, point=propose(rw, description="已公示"))
    for point, readers in ((draft, READ_DRAFT), (published, READ_PUBLISHED)):
        if persona in readers:
            assert selectors.get_point_for(person, point.pk) == point
        else:
            with pytest.raises(NotFound):
                selectors.get_point_for(person, point.pk)
