"""Opening and closing a check. Lock → authorize → write → ledger."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org.models import Unit

from .. import events, parameters, rules, sampling, selectors
from ..models import Inspection


def _grant_days(unit: Unit, days: int | None) -> int:
    values = parameters.in_force(unit)
    chosen = values["grant_days"] if days is None else days
    if isinstance(chosen, bool) or not isinstance(chosen, int) or not 1 <= chosen <= values["max_grant_days"]:
        raise Invalid(
            "R-SUP-2",
            f"检查授权天数须为 1–{values['max_grant_days']} 的整数",
            {"fields": {"days": [f"1–{values['max_grant_days']}"]}},
        )
    return chosen


@transaction.atomic
def open_inspection(*, by: Person, unit: Unit, days: int | None = None) -> Inspection:
    """R-SUP-2: a member of the district's inspection groups opens an unannounced check on the unit: a read
    grant for `days` (the district's default, 30), and a sample drawn from a fresh seed. The opening is a
    district-level ledger entry, so the unit does not see the sample in the log during the check."""
    rules.ensure_open(by, unit)
    days = _grant_days(unit, days)
    role = selectors.inspection_roles(by).filter(district=unit.district_id).order_by("group").first()
    now = clock.now()
    population = sampling.population_of(unit)
    rows = sampling.as_rows(population)
    reasons = {(c.kind, c.id): list(c.reasons) for c in population}
    seed = secrets.token_hex(16)
    chosen = sampling.draw(seed, sampling.from_rows(rows), parameters.in_force(unit)["sample_size"])
    sample = [{"kind": c.kind, "id": c.id, "reasons": reasons.get((c.kind, c.id), [])} for c in chosen]
    inspection = Inspection.objects.create(
        unit=unit,
        group=role.group if role else None,
        opened_by=by,
        opened_at=now,
        expires_at=now + dt.timedelta(days=days),
        seed=seed,
        population=rows,
        sample=sample,
    )
    entry = ledger.record(
        events.OPENED.code,
        by=by,
        district=unit.district.code,
        subject=inspection.subject,
        payload={
            "unit": unit.code,
            "group": inspection.group,
            "expires_at": inspection.expires_at.isoformat(),
            "seed": seed,
            "population": {"size": len(rows), "sha256": sampling.digest(rows)},
            "sample": [{"kind": s["kind"], "id": s["id"]} for s in sample],
        },
    )
    inspection.ledger_index = entry.index
    inspection.save(update_fields=["ledger_index"])
    return inspection


@transaction.atomic
def close_inspection(*, by: Person, inspection: Inspection, conclusion: str = "") -> Inspection:
    """The group closes the check: the grant ends now (even before it expires); findings stay tracked."""
    inspection = (
        Inspection.objects.select_for_update().select_related("unit", "unit__district").get(pk=inspection.pk)
    )
    rules.ensure_close(by, inspection)
    inspection.closed_at = clock.now()
    inspection.closed_by = by
    inspection.conclusion = conclusion.strip()
    inspection.save(update_fields=["closed_at", "closed_by", "conclusion", "updated_at"])
    ledger.record(
        events.CLOSED.code,
        by=by,
        unit=inspection.unit.code,
        subject=inspection.subject,
        payload={"conclusion": inspection.conclusion, "reads": inspection.reads.count()},
    )
    return inspection
