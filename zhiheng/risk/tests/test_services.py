"""Warnings: raise (ledger entry), resolve (who may, with a note), visibility persona matrix."""

import pytest

from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.ledger.models import Entry
from zhiheng.risk import selectors, services
from zhiheng.risk.models import Warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(world):
    return services.raise_warning(
        rule="RF1",
        level="high",
        unit=world.unit,
        subject="matter:1",
        explanation="一把手尝试审批",
        records=[{"matter": 1}],
    )


def test_raise_records_in_the_ledger(world, warning):
    entry = Entry.objects.order_by("-index").first()
    assert (entry.event_type, entry.subject, entry.unit) == (
        "risk.warning_raised",
        f"warning:{warning.pk}",
        "t-unit",
    )


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", True),
        ("inspector", True),
        ("principal", False),
        ("deputy", False),
        ("staff", False),
        ("outsider", False),
        ("other_admin", False),
        ("other_principal", False),
    ],
)
def test_visibility_and_resolution_matrix(world, warning, who, sees):
    person = getattr(world, who)
    assert selectors.list_warnings_for(person).filter(pk=warning.pk).exists() is sees
    before = Entry.objects.count()
    if sees:
        services.resolve_warning(warning=warning, by=person, status="rectified", note="已整改")
        assert Warning.objects.get().status == "rectified" and Entry.objects.count() == before + 1
    else:
        with pytest.raises(Forbidden):
            services.resolve_warning(warning=warning, by=person, status="rectified", note="已整改")
        assert Warning.objects.get().status == "open" and Entry.objects.count() == before


def test_resolution_needs_a_note_and_happens_once(world, warning):
    with pytest.raises(Invalid):
        services.resolve_warning(warning=warning, by=world.inspector, status="explained", note=" ")
    with pytest.raises(Invalid):
        services.resolve_warning(warning=warning, by=world.inspector, status="open", note="x")
    services.resolve_warning(warning=warning, by=world.inspector, status="case_opened", note="立案审查")
    with pytest.raises(Conflict):
        services.resolve_warning(warning=warning, by=world.admin, status="explained", note="x")
