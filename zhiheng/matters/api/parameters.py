"""REST endpoints for the matter rules (R-MAT-3/4/7, beyond API.md), the "matters" parameter set:

GET/POST /api/v1/districts/{code}/matter-rules — the district default (its commission admins only);
GET/POST /api/v1/units/{code}/matter-rules — a unit's override and the rules in force with their source
(anyone who sees the unit reads; the district's commission admins write).
POST sets a new version of the scope's values, in force from today: a field left out or null inherits.
422 lists every field error under detail. `history` lists the scope's own changes recorded in the ledger,
`versions` every version that decides the values (a unit's and its district's defaults), newest first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Router, Schema
from pydantic import StringConstraints

from zhiheng import parameters
from zhiheng.accounts.http import AuthedRequest
from zhiheng.core.input_types import Name
from zhiheng.core.money import yuan_str
from zhiheng.org import selectors as org
from zhiheng.org.models import District, Unit
from zhiheng.parameters.selectors import get_district_for

from .. import selectors
from ..parameters import MATTER_RULES, NAMESPACE

router = Router(tags=["matters"])

Amount = Annotated[str, StringConstraints(max_length=32)]  # a decimal string of yuan


class MatterRulesIn(Schema):
    collective_threshold: Amount | int | None = None
    construction_threshold: Amount | int | None = None
    cosign_threshold: Amount | int | None = None
    cosign_kinds: list[Name] | None = Field(None, max_length=100)
    cosign_roles: list[Name] | None = Field(None, max_length=100)
    penalty_review_over: Amount | int | None = None
    joint_review_kinds: list[Name] | None = Field(None, max_length=100)
    major_kinds: list[Name] | None = Field(None, max_length=100, description="三重一大事项类型（kind 代码）")
    major_powers: list[Name] | None = Field(None, max_length=100, description="三重一大职权（职权代码）")
    major_keywords: list[Name] | None = Field(
        None, max_length=100, description="三重一大关键词（标题或说明含有即须集体会审）"
    )


class UnitMatterRulesIn(MatterRulesIn):
    legal_officer: str | None = Field(None, max_length=150)


class RuleValueOut(Schema):
    value: str | list[str] | None
    source: str


class RulesOut(Schema):
    scope: str
    district: str
    unit: str | None
    override: dict[str, str | list[str] | None]
    effective: dict[str, RuleValueOut]
    can_edit: bool
    history: list[dict[str, Any]]
    versions: list[dict[str, Any]]


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return yuan_str(value)
    if isinstance(value, tuple | list):
        return list(value)
    if hasattr(value, "username"):
        return value.username
    return value


def _out(request: AuthedRequest, *, district: District, unit: Unit | None = None) -> dict[str, Any]:
    own = parameters.effective(NAMESPACE, unit, district=district).own
    table = selectors.rules_table(unit=unit, district=district)
    versions = parameters.history(NAMESPACE, unit, district=district)
    return {
        "scope": "unit" if unit else "district",
        "district": district.code,
        "unit": unit.code if unit else None,
        "override": MATTER_RULES.snapshot(own),
        "effective": {r["field"]: {"value": _value(r["value"]), "source": r["source"]} for r in table},
        "can_edit": parameters.can_set(request.auth, district),
        "history": [  # the scope's own changes as the ledger recorded them
            c.as_dict()
            for c in versions
            if c.version.unit_id == (unit.pk if unit else None)
            and (c.version.ledger_index is not None or c.version.ledger_pending is not None)
        ][:20],
        "versions": [c.as_dict() for c in versions],
    }


@router.get("/districts/{code}/matter-rules", response=RulesOut, summary="区默认事项规则（R-MAT-3/4/7）")
def district_rules(request: AuthedRequest, code: str) -> dict[str, Any]:
    return _out(request, district=get_district_for(request.auth, code))


@router.post("/districts/{code}/matter-rules", response=RulesOut, summary="设置区默认事项规则")
def set_district_rules(request: AuthedRequest, code: str, payload: MatterRulesIn) -> dict[str, Any]:
    district = get_district_for(request.auth, code)
    parameters.set_values(NAMESPACE, by=request.auth, district=district, values=payload.dict())
    return _out(request, district=district)


@router.get("/units/{code}/matter-rules", response=RulesOut, summary="单位事项规则及其来源（R-MAT-3/4/7）")
def unit_rules(request: AuthedRequest, code: str) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    return _out(request, district=unit.district, unit=unit)


@router.post("/units/{code}/matter-rules", response=RulesOut, summary="设置单位事项规则（覆盖区默认）")
def set_unit_rules(request: AuthedRequest, code: str, payload: UnitMatterRulesIn) -> dict[str, Any]:
    unit = org.get_unit_for(request.auth, code)
    parameters.set_values(NAMESPACE, by=request.auth, unit=unit, values=payload.dict())
    return _out(request, district=unit.district, unit=unit)
