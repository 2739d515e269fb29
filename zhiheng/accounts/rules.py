"""Authorization predicates of the accounts app: who may end whose API tokens.

A person revokes their own tokens; a commission admin revokes every token of a person of their district
(anyone who ever held a term or role there, issue 10). Anyone else learns nothing: 404, as for a
username nobody holds."""

from __future__ import annotations

from zhiheng.org import selectors as org_selectors
from zhiheng.org.models import District

from .models import Person


def district_to_revoke_in(by: Person, person: Person) -> District | None:
    """The district (of those `by` administers) in which `person` ever held a term or role, if any: the
    district whose ledger records the revocation."""
    return (
        org_selectors.administered_districts(by)
        .filter(pk__in=org_selectors.districts_ever_of(person).values("pk"))
        .order_by("code")
        .first()
    )


def can_revoke_tokens_of(by: Person, person: Person) -> bool:
    return by.is_authenticated and district_to_revoke_in(by, person) is not None
