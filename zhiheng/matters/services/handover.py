"""Locking a matter, and handing it over when its deputy or a co-signer has left (issue 9 hole 8).

Every write on a matter starts with `lock(matter)`: the row, locked, read with whether its deputy and its
pending co-signers still hold their terms — and handed over first if they do not, so nobody without a
current term decides or signs.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import Membership, Role, Unit
from zhiheng.org.selectors import current
from zhiheng.powers.selectors import deputy_in_charge

from .. import selectors, states
from ..models import Cosign, Matter
from .history import record

# The term a co-signer of each role must hold now.
SIGNER_TERM = {"deputy": Role.DEPUTY, "finance_deputy": Role.DEPUTY, "inspector": Role.INSPECTOR}


def locked(matter: Matter) -> Matter:
    """The matter, row-locked, handed over first if its deputy or a co-signer has left (hole 8)."""
    return lock(matter)[0]


def lock(matter: Matter) -> tuple[Matter, bool]:
    """(the locked matter, whether its deputy holds a current deputy term now) — after the hand-over."""
    matter = _for_update().get(pk=matter.pk)
    return matter, _hand_over(matter)[0]


def _for_update() -> QuerySet[Matter]:
    # The matter's row only: locking the unit, power and deputy rows its select_related joins would serialise
    # every decision in a unit, and deadlock with writers that hold a key-share on the unit (the analytics
    # roll-up's inserts, issue 15).
    return _with_terms().select_for_update(of=("self",))


def _with_terms() -> QuerySet[Matter]:
    """Matters, each read with whether its deputy and its pending co-signers still hold their
    terms today (two EXISTS in the same SELECT: the common case costs no extra query)."""
    today = clock.today()

    def term(person: OuterRef, unit: OuterRef, roles: list[str]) -> Exists:
        return Exists(
            current(Membership.objects.filter(person_id=person, unit_id=unit, role__in=roles), today)
        )

    signer_left = (
        Cosign.objects.filter(matter_id=OuterRef("pk"), signed_at__isnull=True)
        .exclude(
            Q(role="inspector") & term(OuterRef("signer_id"), OuterRef(OuterRef("unit_id")), [Role.INSPECTOR])
        )
        .exclude(
            ~Q(role="inspector") & term(OuterRef("signer_id"), OuterRef(OuterRef("unit_id")), [Role.DEPUTY])
        )
    )
    return Matter.objects.select_related("unit", "power", "deputy").annotate(
        deputy_holds_term=term(OuterRef("deputy_id"), OuterRef("unit_id"), [Role.DEPUTY]),
        signer_left=Exists(signer_left),
    )


def _hand_over(matter: Matter) -> tuple[bool, bool]:
    """Issue 9 hole 8: nobody without a current term decides. When the deputy frozen on an open matter no
    longer holds a deputy term in the unit, the matter passes to whoever is in charge of its power today
    (R-DIV-6) and R-MAT-2's self-interest check is applied to them; a pending co-sign row of a signer whose
    term ended passes to whoever holds that role now. Each change is a matter event and a ledger entry.
    Returns (the deputy holds a current term now, something changed). No query when nobody has left."""
    if matter.state in states.CLOSED:
        return True, False
    if getattr(matter, "deputy_holds_term", False) and not getattr(matter, "signer_left", True):
        return True, False  # read with the lock (_for_update): nobody has left
    pending = list(matter.cosigns.filter(signed_at__isnull=True).select_related("signer"))
    held = set(
        current(
            Membership.objects.filter(
                unit_id=matter.unit_id,
                person_id__in={matter.deputy_id, *(c.signer_id for c in pending)},
                role__in=[Role.DEPUTY, Role.INSPECTOR],
            ),
            clock.today(),
        ).values_list("person_id", "role")
    )
    in_office = (matter.deputy_id, Role.DEPUTY) in held
    changed = False
    if not in_office:
        successor = deputy_in_charge(matter.unit, matter.power)
        if successor is not None:
            _hand_deputy_over(matter, successor)
            in_office = changed = True
    for row in pending:
        if (row.signer_id, SIGNER_TERM.get(row.role, Role.DEPUTY)) in held:
            continue
        signer: Person | None
        if row.role == "deputy":
            signer = matter.deputy if in_office else None
        else:
            found = selectors.cosigners_for(matter.unit, matter.deputy, (row.role,))
            signer = found[0][0] if found else None
        if signer is not None and signer.pk != row.signer_id:
            _hand_cosign_over(matter, row, signer)
            changed = True
    return in_office, changed


def _hand_deputy_over(matter: Matter, successor: Person) -> None:
    departed = matter.deputy
    matter.deputy = successor
    fields = ["deputy", "updated_at"]
    interested = successor.pk in (matter.submitted_by_id, matter.counterparty_person_id)
    if interested and matter.state in states.UNDECIDED and "self_interest" not in matter.collective_reasons:
        matter.requires_collective = True  # R-MAT-2: the new deputy cannot decide it either: the team does
        matter.collective_reasons = [*matter.collective_reasons, "self_interest"]
        fields += ["requires_collective", "collective_reasons"]
    matter.save(update_fields=fields)
    record(
        matter,
        by=None,
        action="handed_over",
        note=f"原分管副职{departed.name}任期已结束，转由现分管副职{successor.name}办理",
        payload={"from": departed.username, "to": successor.username, "self_interest": interested},
        event="matter.handed_over",
    )


def _hand_cosign_over(matter: Matter, row: Cosign, successor: Person) -> None:
    departed = row.signer
    merged = matter.cosigns.filter(signer=successor).exists()
    if merged:
        row.delete()  # one signature per person (as at submission): the successor's own row covers it
    else:
        row.signer = successor
        row.save(update_fields=["signer"])
    record(
        matter,
        by=None,
        action="cosigner_replaced",
        note=f"会签人{departed.name}任期已结束，转由{successor.name}会签",
        payload={"role": row.role, "from": departed.username, "to": successor.username, "merged": merged},
        event="matter.cosigner_replaced",
    )


def hand_over_matters_of_departed(*, unit: Unit | None = None) -> int:
    """Issue 9 hole 8, eagerly (the daily task and the end of a term): hand over every open matter whose
    deputy, or a pending co-signer, no longer holds a term in the unit. Each matter in its own
    transaction; idempotent. Returns how many matters changed."""
    qs = (
        _with_terms()
        .exclude(state__in=states.CLOSED)
        .filter(Q(deputy_holds_term=False) | Q(signer_left=True))
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    pks = list(qs.values_list("pk", flat=True))
    changed = 0
    for pk in sorted(pks):
        with transaction.atomic():
            changed += _hand_over(_for_update().get(pk=pk))[1]
    return changed
