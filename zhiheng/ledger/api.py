"""REST endpoints of the ledger (API.md: checkpoint, entries, proofs)."""

from ninja import Router

router = Router(tags=["ledger"])
