"""Opening what is sealed: every read is a ledger entry (R-GATE-2 "every read is logged") — who read whose
what, and when — which the commission sees in the ledger. The person reading their own record is logged
too: the log is of reads, not of suspicion."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhiheng import ledger
from zhiheng.accounts.models import Person

from .. import events, sealing
from ..models import Declaration, Opinion
from .declaring import district_of


@transaction.atomic
def read_declaration(*, by: Person, declaration: Declaration) -> dict[str, Any]:
    """The declaration's items and checks, opened; the caller has checked the reader may see it."""
    person = declaration.person
    ledger.record(
        events.DECLARATION_READ.code,
        by=by,
        district=district_of(person),
        subject=declaration.subject,
        payload={"declarant": person.username, "reader": by.username},
    )
    return {
        "items": sealing.unseal(declaration.sealed_items),
        "checks": sealing.unseal(declaration.sealed_checks),
    }


@transaction.atomic
def read_opinion_reasons(*, by: Person, opinion: Opinion) -> str:
    ledger.record(
        events.OPINION_READ.code,
        by=by,
        district=district_of(opinion.person),
        subject=opinion.subject,
        payload={"candidate": opinion.person.username, "reader": by.username},
    )
    return str(sealing.unseal(opinion.sealed_reasons))
