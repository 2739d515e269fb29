"""What a monthly report says (R-SUP-1): the frozen dict compiled from the unit's matters at issue time.

The dict is the contract between issuing, the pages, the API and the documents (Excel/PDF): JSON only,
money as decimal strings with two places, times ISO 8601 with +08:00, items sorted by decided_at then
matter id. `compile_report` reads the database; `totals` and `change_pct` are pure.

Which matters: expenditures and purchases (MatterKind) of the unit decided — approved or executed — in the
month (decided_at in Asia/Shanghai). The meeting that decided a collective one comes from its
decision_ref "meeting:<id>/item:<id>".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from zhiheng.core import clock
from zhiheng.core.money import yuan_str
from zhiheng.matters.models import BudgetLine, Matter, MatterKind
from zhiheng.matters.selectors import rules_for
from zhiheng.matters.states import MatterState
from zhiheng.meetings.models import Meeting, MeetingKind
from zhiheng.org.models import Unit
from zhiheng.powers.models import Category

from . import months

KINDS = (MatterKind.EXPENDITURE, MatterKind.PURCHASE)
DECIDED = (MatterState.APPROVED, MatterState.EXECUTED)
MEETING_REF = re.compile(r"meeting:(\d+)")
# How a report names the kind of meeting that decided an item: 第3次党组会.
MEETING_SHORT: dict[str, str] = {
    MeetingKind.PARTY_COMMITTEE: "党组会",
    MeetingKind.OFFICE: "办公会",
    MeetingKind.WORKING_GROUP: "工作小组会议",
}
TOTALS = (("by_deputy", "deputy", "deputy_name"), ("by_category", "category", "category_name"))


def decided_in(unit: Unit, month: dt.date) -> Any:
    """The report's matters: the unit's expenditures and purchases decided in the month."""
    start, end = months.bounds(month)
    return Matter.objects.filter(
        unit=unit, kind__in=KINDS, state__in=DECIDED, decided_at__gte=start, decided_at__lt=end
    )


def compile_report(unit: Unit, month: dt.date, issued_at: dt.datetime) -> dict[str, Any]:
    """The frozen report of `unit` for `month`, as issued at `issued_at`."""
    matters = list(
        decided_in(unit, month)
        .select_related("deputy", "budget_line", "power__category")
        .order_by("decided_at", "pk")
    )
    threshold = rules_for(unit).collective_threshold
    categories = dict(Category.objects.values_list("code", "name"))
    meetings = meeting_labels(
        {int(m[1]) for matter in matters if (m := MEETING_REF.match(matter.decision_ref or ""))}
    )
    items = [_item(matter, threshold, categories, meetings) for matter in matters]
    total = sum((Decimal(i["amount"]) for i in items), Decimal(0))
    last_month = months.shift(month, -12)
    last = decided_in(unit, last_month).aggregate(total=Sum("amount"))["total"]
    return {
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "district": unit.district.code,
            "district_name": unit.district.name,
        },
        "month": months.code(month),
        "issued_at": issued_at.astimezone(clock.SHANGHAI).isoformat(),
        "items": items,
        "totals": totals(items),
        "total": yuan_str(total),
        "count": len(items),
        "comparison": {
            "last_year_month": months.code(last_month),
            "last_year_total": yuan_str(last),
            "change_pct": change_pct(total, last),
            "budget_lines": _budget_lines(unit, month, items),
        },
        "threshold": yuan_str(threshold),
    }


def _item(
    matter: Matter, threshold: Decimal, categories: Mapping[str, str], meetings: Mapping[int, str]
) -> dict[str, Any]:
    amount = matter.amount or Decimal(0)
    category = matter.category or matter.power.category.code
    ref = MEETING_REF.match(matter.decision_ref or "")
    meeting = int(ref[1]) if ref else None
    line = matter.budget_line
    assert matter.decided_at is not None
    return {
        "matter": matter.pk,
        "title": matter.title,
        "kind": matter.kind,
        "deputy": matter.deputy.username,
        "deputy_name": matter.deputy.name,
        "category": category,
        "category_name": categories.get(category, category),
        "counterparty": matter.counterparty,
        "amount": yuan_str(amount),
        "budget_line": line.code if line is not None else None,
        "budget_line_name": line.name if line is not None else "",
        "meeting": meeting,
        "meeting_label": meetings.get(meeting) if meeting is not None else None,
        "decided_at": matter.decided_at.astimezone(clock.SHANGHAI).isoformat(),
        "over_threshold": amount >= threshold,
        "no_budget_line": line is None,
    }


def meeting_labels(ids: Iterable[int]) -> dict[int, str]:
    """ "第3次党组会": each meeting's rank among its unit's meetings of the same kind in the same year."""
    wanted = list(Meeting.objects.filter(pk__in=list(ids)).values("pk", "unit_id", "kind", "date"))
    out: dict[int, str] = {}
    for m in wanted:
        earlier = Meeting.objects.filter(
            unit_id=m["unit_id"], kind=m["kind"], date__year=m["date"].year, date__lte=m["date"]
        ).exclude(date=m["date"], pk__gt=m["pk"])
        out[m["pk"]] = f"第{earlier.count()}次{MEETING_SHORT.get(m['kind'], m['kind'])}"
    return out


def totals(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Count and amount by deputy, by category and by counterparty, largest amount first."""
    out = {name: _group(items, key, label) for name, key, label in TOTALS}
    out["by_counterparty"] = _group(items, "counterparty", "counterparty")
    return out


def _group(items: list[dict[str, Any]], key: str, label: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        name = item[label] or _("（未填写）")
        row = groups.setdefault(item[key], {"key": item[key], "name": name, "count": 0, "amount": Decimal(0)})
        row["count"] += 1
        row["amount"] += Decimal(item["amount"])
    rows = sorted(groups.values(), key=lambda r: (-r["amount"], r["key"]))
    return [{**r, "amount": yuan_str(r["amount"])} for r in rows]


def change_pct(total: Decimal, last: Decimal | None) -> str | None:
    """The change against last year's month in percent, one decimal ("12.5", "-40.0"); None without a
    base to compare with (no spending that month last year)."""
    if not last:
        return None
    change = (total - last) * 100 / last
    return str(change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _budget_lines(unit: Unit, month: dt.date, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each of the unit's budget lines (of the report's year, or without a year): its amount, what is
    consumed (reserved by approved matters) and remains at issue, and what the month's items took."""
    taken: dict[str, Decimal] = {}
    for item in items:
        if item["budget_line"] is not None:
            taken[item["budget_line"]] = taken.get(item["budget_line"], Decimal(0)) + Decimal(item["amount"])
    lines = BudgetLine.objects.filter(Q(year__isnull=True) | Q(year=month.year), unit=unit)
    return [
        {
            "code": line.code,
            "name": line.name,
            "amount": yuan_str(line.amount),
            "consumed": yuan_str(line.reserved),
            "remaining": yuan_str(line.remaining),
            "month_amount": yuan_str(taken.get(line.code, Decimal(0))),
        }
        for line in lines.order_by("code")
    ]
