"""Filing a declaration (R-GATE-2): the person themself, one per year, a correction as the next version.
The items are sealed as given; the checks run against last year's declaration and the unit's own matters,
and their weighted score is kept plain to order the commission's queue."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import selectors as org

from .. import checks, events, rules, sealing, selectors
from ..models import Declaration
from ..parameters import weights

FIRST_YEAR = 2000


def district_of(person: Person) -> str:
    """The district whose ledger records what happens to the person's check-up ("" for none)."""
    codes = org.current_district_codes(person)
    if codes:
        return codes[0]
    district = org.districts_ever_of(person).order_by("code").first()
    return district.code if district else ""


@transaction.atomic
def file_declaration(*, by: Person, person: Person, year: int, items: dict[str, Any]) -> Declaration:
    rules.ensure_can_declare(by, person)
    if not FIRST_YEAR <= year <= clock.today().year:
        raise Invalid(
            "validation", "申报年度无效", {"fields": {"year": [f"须为 {FIRST_YEAR}–{clock.today().year}"]}}
        )
    # Lock the person's row: two filings of the same year at once get consecutive versions, not a clash.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    version = (Declaration.objects.filter(person=person, year=year).aggregate(v=Max("version"))["v"] or 0) + 1
    previous = selectors.latest_declaration(person, year - 1)
    found = checks.run(
        items,
        previous=sealing.unseal(previous.sealed_items) if previous else None,
        counterparties=selectors.counterparties_of(person),
        weights=weights(selectors.rules_for(person)),
    )
    declaration = Declaration.objects.create(
        person=person,
        year=year,
        version=version,
        sealed_items=sealing.seal(items),
        sealed_checks=sealing.seal([c.as_dict() for c in found]),
        check_codes=[c.code for c in found],
        risk_score=checks.score(found),
        filed_at=clock.now(),
    )
    ledger.record(
        events.DECLARATION_FILED.code,
        by=by,
        district=district_of(person),
        subject=declaration.subject,
        payload={
            "declarant": person.username,
            "year": year,
            "version": version,
            "risk_score": declaration.risk_score,
            "checks": declaration.check_codes,
        },
    )
    declaration.checks = found  # type: ignore[attr-defined]  # the caller answers with them unopened
    return declaration
