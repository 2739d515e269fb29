"""REST endpoints of effectiveness analytics (API.md "Warnings and analytics", SPEC §11).

- `GET /analytics/latency?unit=&district=&by=unit|deputy|category|district&from=&to=` → {"count", "items":
  [{"key", "label", "count", "median_days", "p90_days"}]}: latency submitted → decided of the matters
  submitted in the period (inclusive Shanghai dates) and decided since, by key;
- `GET /analytics/before-after?unit=&district=&from=&to=` → {"count", "items": [{"unit", "name",
  "reform_date", "pilot", "before": {...}, "after": {...}}]}: each unit before and after its reform date.

Scope: `unit` (one unit), `district` (its units; the commission only), neither (every unit the caller
reads). 404 for a scope the caller may not read (rules.py); 422 for a bad `by`, date or range.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.api.pagination import Page

from . import rules, selectors
from .rules import Scope
from .selectors import Period
from .stats import Latency

router = Router(tags=["analytics"])


class ScopeIn(Schema):
    unit: str | None = Field(None, max_length=32)
    district: str | None = Field(None, max_length=32)
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None

    def period(self) -> Period:
        return rules.period(self.from_, self.to)


class LatencyIn(ScopeIn):
    by: Literal["unit", "deputy", "category", "district"] = "unit"


class LatencyOut(Schema):
    key: str
    label: str
    count: int
    median_days: float | None
    p90_days: float | None


class LatencyFigures(Schema):
    count: int
    median_days: float | None
    p90_days: float | None


class BeforeAfterOut(Schema):
    unit: str
    name: str
    reform_date: dt.date | None
    pilot: bool
    before: LatencyFigures
    after: LatencyFigures
    matters_before: int
    matters_after: int


def _scope(request: AuthedRequest, params: ScopeIn) -> Scope:
    if params.unit or params.district:
        return rules.scope_for(request.auth, unit=params.unit, district=params.district)
    return Scope(list(rules.readable_units(request.auth)))


def _figures(latency: Latency) -> dict[str, Any]:
    return {"count": latency.count, "median_days": latency.median_days, "p90_days": latency.p90_days}


@router.get(
    "/analytics/latency", response=list[LatencyOut], summary="审批用时（提交至决定，中位数与90分位，天）"
)
@paginate(Page)
def latency(request: AuthedRequest, params: Query[LatencyIn]) -> list[dict[str, Any]]:
    period = params.period()
    scope = _scope(request, params)
    return [
        {"key": row.key, "label": row.label, **_figures(row.latency)}
        for row in selectors.latency_by(scope.unit_ids, period, params.by)
    ]


@router.get("/analytics/before-after", response=list[BeforeAfterOut], summary="改革前后审批用时（按单位）")
@paginate(Page)
def before_after(request: AuthedRequest, params: Query[ScopeIn]) -> list[dict[str, Any]]:
    period = params.period()
    scope = _scope(request, params)
    figures = selectors.before_after(scope.units, period)
    pilots = figures.pilots
    return [
        {
            "unit": unit.code,
            "name": unit.name,
            "reform_date": reform,
            "pilot": unit.pk in pilots,
            "before": _figures(side.before),
            "after": _figures(side.after),
            "matters_before": side.count_before,
            "matters_after": side.count_after,
        }
        for unit, reform, side in figures.per_unit
    ]
