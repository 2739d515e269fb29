"""The scan's columnar mirror (decision 0023, addendum): a DuckDB file kept between scans and synced with
what changed since — matters named by a ledger entry since the last sync, new rows, rows saved around the
services. A matter decided, or whose amount was changed, after the last sync is read again; a lost or
foreign mirror is rebuilt; and whatever was synced, the scan finds what a fresh copy finds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhiheng.core import clock
from zhiheng.matters import services as matters
from zhiheng.matters.models import Matter, MatterState
from zhiheng.risk.redflags import engine, export

from .test_paths_agree import START, generate

pytestmark = pytest.mark.django_db
NOW = clock.at(START + dt.timedelta(days=120), 12)


def row(con, pk):
    return con.execute("SELECT state, amount FROM matters WHERE id = ?", [pk]).fetchone()


def sources(found):
    return sorted((f.source, f.explanation, f.records) for f in found)


def scanned(settings, path):
    settings.RISK_MIRROR_FILE = str(path)
    with clock.frozen(NOW):
        return engine.scan_findings(as_of=NOW)


def fresh(settings):
    settings.RISK_MIRROR_FILE = ""
    with clock.frozen(NOW):
        return engine.scan_findings(as_of=NOW)


def test_a_matter_decided_or_changed_after_the_last_sync_is_read_again(mw, settings, tmp_path):
    path = tmp_path / "mirror.duckdb"
    generate(mw, 3, n=40)
    Matter.objects.update(updated_at=timezone.now() - dt.timedelta(days=2))  # an old history
    settings.RISK_MIRROR_FILE = str(path)
    with export.mirror() as (con, synced):
        assert synced["mode"] == "full" and synced["file"] == str(path)
        assert con.execute("SELECT count(*) FROM matters").fetchone()[0] == Matter.objects.count()
    assert sources(scanned(settings, path)) == sources(fresh(settings))

    waiting = Matter.objects.filter(state=MatterState.SUBMITTED, requires_collective=False).first()
    edited = Matter.objects.exclude(pk=waiting.pk).filter(amount__lt=50000).order_by("pk").first()
    with clock.frozen(NOW):
        matters.approve(matter=waiting, by=waiting.deputy, comment="同意")  # a ledger entry
        m = matters.submit(  # a new matter
            by=mw.staff,
            unit=mw.unit,
            power=mw.power["procurement"],
            title="打印纸（补）",
            amount="49000.00",
            counterparty="江南印务有限公司",
            budget_line=mw.big,
        )
    edited.amount = Decimal("49999.00")  # changed around the services: no ledger entry, only updated_at
    edited.save()

    settings.RISK_MIRROR_FILE = str(path)
    with export.mirror() as (con, synced):
        assert synced["mode"] == "incremental"
        assert synced["matters"] == 3  # decided, new, changed: nothing else is read
        assert row(con, waiting.pk)[0] == "approved"
        assert row(con, edited.pk)[1] == Decimal("49999.00")
        assert row(con, m.pk) is not None
        assert con.execute("SELECT count(*) FROM matters").fetchone()[0] == Matter.objects.count()
    after = scanned(settings, path)
    assert sources(after) == sources(fresh(settings))
    with clock.frozen(NOW):
        python = engine.scan_findings(as_of=NOW, engine="python")
    assert sources(after) == sources(python)


def test_a_lost_or_foreign_mirror_is_rebuilt(mw, settings, tmp_path):
    path = tmp_path / "mirror.duckdb"
    generate(mw, 1, n=20)
    Matter.objects.update(updated_at=timezone.now() - dt.timedelta(days=2))
    settings.RISK_MIRROR_FILE = str(path)
    with export.mirror() as (_con, synced):
        assert synced["mode"] == "full"
    with export.mirror() as (con, synced):
        assert (synced["mode"], synced["matters"]) == ("incremental", 0)
        con.execute("UPDATE mirror_state SET value = 'ff' WHERE key = 'leaf'")  # another database's ledger
    with export.mirror() as (_con, synced):
        assert synced["mode"] == "full"
    path.unlink()
    with export.mirror() as (_con, synced):
        assert synced["mode"] == "full"
    with export.mirror(rebuild=True) as (_con, synced):  # zhiheng risk scan --rebuild-mirror
        assert synced["mode"] == "full"
    assert sources(scanned(settings, path)) == sources(fresh(settings))
