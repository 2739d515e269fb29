"""A matter's history under batched ledger sequencing (ledger decision 0017): each history row keeps its
entry's pending id, shows 待入账 until the entry is integrated, and learns the index in the integration's
own transaction."""

from __future__ import annotations

import pytest
from django.test import override_settings

from zhiheng.ledger.models import Entry, Pending
from zhiheng.ledger.services import sequencing
from zhiheng.matters import services
from zhiheng.matters.models import MatterEvent

from .conftest import small_matter

pytestmark = [pytest.mark.django_db(transaction=True)]


@override_settings(LEDGER_SEQUENCING="batched")
def test_history_rows_show_pending_then_point_at_their_integrated_entries(mw, client, monkeypatch):
    monkeypatch.setattr(sequencing, "integrate_quietly", lambda *args: None)  # as if the process died
    m = small_matter(mw)
    services.approve(matter=m, by=mw.deputy)
    events = list(MatterEvent.objects.filter(matter=m).order_by("pk"))
    assert [e.action for e in events] == ["submitted", "approved"]
    assert all(e.ledger_index is None and e.ledger_pending is not None for e in events)
    client.force_login(mw.deputy)
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert page.count('data-testid="ledger-pending"') == 2

    assert sequencing.integrate_all() >= 2 and Pending.objects.count() == 0
    for e in MatterEvent.objects.filter(matter=m):
        entry = Entry.objects.get(index=e.ledger_index)
        assert entry.pending == e.ledger_pending and entry.subject == m.subject
    page = client.get(f"/matters/{m.pk}/").content.decode()
    assert 'data-testid="ledger-pending"' not in page


def test_inline_history_rows_carry_the_index_at_once(mw):
    m = small_matter(mw)
    e = MatterEvent.objects.get(matter=m)
    assert e.ledger_index is not None and e.ledger_pending is None
