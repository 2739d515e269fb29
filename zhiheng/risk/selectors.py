"""Reads of the risk app."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core.errors import NotFound

from .models import Warning
from .rules import visible_warnings


def list_warnings_for(
    person: Person,
    *,
    unit: str | None = None,
    rule: str | None = None,
    status: str | None = None,
    level: str | None = None,
) -> QuerySet[Warning]:
    qs = visible_warnings(person).select_related("unit", "owner")
    if unit:
        qs = qs.filter(unit__code=unit)
    if level:
        qs = qs.filter(level=level)
    if rule:
        qs = qs.filter(rule=rule)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created", "-pk")


def get_warning_for(person: Person, pk: int) -> Warning:
    warning = visible_warnings(person).select_related("unit").filter(pk=pk).first()
    if warning is None:
        raise NotFound()
    return warning
