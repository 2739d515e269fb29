"""Rotating the sealing key (R-GATE-2 "rotation supported"): a new key first in the key file, every sealed
value re-sealed under it in one transaction, then the old keys dropped — a crash before the drop leaves
both keys, and every row opens under one of them."""

from __future__ import annotations

from django.db import transaction

from zhiheng import ledger

from .. import events, sealing
from ..models import ArchiveEntry, Declaration, OnlineSitting, Opinion


def rotate_keys() -> int:
    """Re-seal every row under a new key; the number of values re-sealed."""
    sealing.add_key()
    count = 0
    with transaction.atomic():
        for declaration in Declaration.objects.select_for_update().only("sealed_items", "sealed_checks"):
            declaration.sealed_items = sealing.reseal(declaration.sealed_items)
            declaration.sealed_checks = sealing.reseal(declaration.sealed_checks)
            declaration.save(update_fields=["sealed_items", "sealed_checks"])
            count += 2
        for opinion in Opinion.objects.select_for_update().only("sealed_reasons"):
            opinion.sealed_reasons = sealing.reseal(opinion.sealed_reasons)
            opinion.save(update_fields=["sealed_reasons"])
            count += 1
        for entry in ArchiveEntry.objects.select_for_update().only("sealed_content"):
            entry.sealed_content = sealing.reseal(entry.sealed_content)
            entry.save(update_fields=["sealed_content"])
            count += 1
        for sitting in OnlineSitting.objects.select_for_update().only("sealed_answers"):
            sitting.sealed_answers = sealing.reseal(sitting.sealed_answers)
            sitting.save(update_fields=["sealed_answers"])
            count += 1
        ledger.record(events.KEYS_ROTATED.code, subject="checkup-keys", payload={"values": count})
    sealing.drop_old_keys()
    return count
