"""Budget reservation (R-MAT-5): one conditional UPDATE, so concurrent approvals never overspend.

`UPDATE ... SET reserved = reserved + x WHERE id = ? AND amount - reserved >= x`: on PostgreSQL a
concurrent update of the same row waits for the first to commit and then re-evaluates the WHERE on
the new row (READ COMMITTED), so two approvals cannot both pass on the same remaining balance. The
CHECK constraint reserved <= amount is the second line of defence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, Invalid
from zhiheng.core.money import parse_yuan, yuan_str
from zhiheng.org.models import Unit

from .. import rules
from ..models import BudgetLine, Matter


def reserve(*, line_id: int, amount: Decimal) -> None:
    updated = BudgetLine.objects.filter(pk=line_id, amount__gte=F("reserved") + amount).update(
        reserved=F("reserved") + amount
    )
    if updated == 0:
        line = BudgetLine.objects.get(pk=line_id)
        raise Conflict(
            "R-MAT-5",
            f"预算指标“{line.name}”余额不足，不能批准",
            {"budget_line": line.code, "remaining": yuan_str(line.remaining), "amount": yuan_str(amount)},
        )


def release(*, line_id: int, amount: Decimal) -> None:
    BudgetLine.objects.filter(pk=line_id).update(reserved=F("reserved") - amount)


def take_reservation(matter: Matter) -> None:
    """Approval reserves the matter's amount on its line (the caller saves `reserved_amount`)."""
    if matter.budget_line_id and matter.amount:
        reserve(line_id=matter.budget_line_id, amount=matter.amount)
        matter.reserved_amount = matter.amount


def drop_reservation(matter: Matter) -> None:
    """A veto or a withdrawal gives a held reservation back (the caller saves `reserved_amount`)."""
    if matter.reserved_amount and matter.budget_line_id:
        release(line_id=matter.budget_line_id, amount=matter.reserved_amount)
        matter.reserved_amount = None


@transaction.atomic
def set_budget_line(
    *, by: Person | None, unit: Unit, code: str, name: str, amount: Any, year: int | None = None
) -> BudgetLine:
    """Declare (or raise) a budget line: the commission admin, or the system (by=None)."""
    rules.ensure_set_budget_line(by, unit)
    value = parse_yuan(amount)
    line, created = BudgetLine.objects.select_for_update().get_or_create(
        unit=unit, code=code, defaults={"name": name, "amount": value, "year": year}
    )
    if not created:
        if value < line.reserved:
            raise Invalid("R-MAT-5", "预算金额不能低于已占用金额", {"reserved": yuan_str(line.reserved)})
        line.name, line.amount, line.year = name, value, year
        line.save(update_fields=["name", "amount", "year", "updated_at"])
    ledger.record(
        "matter.budget_line_set",
        by=by,
        unit=unit.code,
        subject=f"budget:{unit.code}/{code}",
        payload={"name": name, "amount": yuan_str(value)},
    )
    return line
