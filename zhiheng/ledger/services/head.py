"""The one Head row: the next index and the frontier. Appends and checkpoints lock it (SELECT … FOR UPDATE)."""

from __future__ import annotations

from ..models import Head


def locked_head() -> Head:
    head = Head.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # First append ever (or after a test flush): create it; a concurrent creator makes this a no-op.
        Head.objects.bulk_create([Head(pk=1, size=0, frontier=b"")], ignore_conflicts=True)
        head = Head.objects.select_for_update().get(pk=1)
    return head
