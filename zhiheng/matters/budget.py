"""Budget reservation (R-MAT-5): one conditional UPDATE, so concurrent approvals never overspend.

`UPDATE ... SET reserved = reserved + x WHERE id = ? AND amount - reserved >= x`: on PostgreSQL a
concurrent update of the same row waits for the first to commit and then re-evaluates the WHERE on
the new row (READ COMMITTED), so two approvals cannot both pass on the same remaining balance. The
CHECK constraint reserved <= amount is the second line of defence.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from zhiheng import ledger
from zhiheng.accounts.models import Person
from zhiheng.core.errors import Conflict, Forbidden, Invalid
from zhiheng.core.money import parse_yuan, yuan_str
from zhiheng.org.models import Unit
from zhiheng.org.rules import can_manage_unit

from .models import BudgetLine


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


@transaction.atomic
def set_budget_line(
    *, by: Person | None, unit: Unit, code: str, name: str, amount, year: int | None = None
) -> BudgetLine:
    """Declare (or raise) a budget line: the commission admin, or the system (by=None)."""
    if by is not None and not can_manage_unit(by, unit):
        raise Forbidden("R-MAT-5", "只有区纪委管理员可以登记预算指标", {"unit": unit.code})
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
