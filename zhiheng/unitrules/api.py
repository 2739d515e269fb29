"""REST endpoints of the unit rules (API.md "Programme": `GET /units/{code}/rules` → the unit's rules in force
{"code", "title", "version", "adopted", "powers": [code]}, exactly), one rule with its versions, one version's
text, the diff of two versions, and the writes — create, revise (a new version), repeal, adopt from a model
— and the district's library of model rules. Refusals cite R-PIL-2. Interfaces only: parse, fetch through
the selectors (404 alike), call a service."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.api.pagination import Page
from zhiheng.core.errors import Invalid
from zhiheng.core.input_types import IsoDate, Name
from zhiheng.org.models import Unit
from zhiheng.powers.models import Category, Power

from . import rules, selectors, services
from .models import ModelRule, Rule, RuleVersion

router = Router(tags=["unitrules"])


class RuleInForceOut(Schema):
    code: str = Field(..., description="制度编号")
    title: str
    version: int = Field(..., description="现行版本号")
    adopted: str = Field(..., description="现行版本通过日期")
    powers: list[str] = Field(..., description="所涉职权代码")


@router.get(
    "/units/{code}/rules",
    response=list[RuleInForceOut],
    summary="单位现行有效的制度（R-PIL-2）",
)
@paginate(Page)
def list_rules(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    _unit, qs = selectors.list_rules_for_unit(request.auth, code)
    out = []
    for rule in qs:
        current = selectors.current_version(rule)
        out.append(
            {
                "code": rule.code,
                "title": rule.title,
                "version": rule.version,
                "adopted": rule.adopted.isoformat(),
                "powers": selectors.power_codes(current),
            }
        )
    return out


class VersionOut(Schema):
    number: int
    title: str
    group: str
    adopted: str
    meeting: int | None = Field(..., description="通过该版本的会议（系统启用前通过的为空）")
    item: int | None
    powers: list[str]
    note: str
    digest: str = Field(..., description="标题与正文的 SHA-256，与账本记录一致")
    ledger_index: int | None


class VersionTextOut(VersionOut):
    body: str


class RuleOut(Schema):
    code: str
    title: str
    group: str
    version: int
    adopted: str
    status: Literal["in_force", "repealed"]
    repealed_on: str | None
    repeal_meeting: int | None
    repeal_reason: str
    powers: list[str]
    body: str
    model: int | None = Field(..., description="来源范本")
    model_version: int | None
    actions: dict[str, bool]
    versions: list[VersionOut]


def version_out(v: RuleVersion, *, body: bool = False) -> dict[str, Any]:
    out = {
        "number": v.number,
        "title": v.title,
        "group": v.group,
        "adopted": v.adopted.isoformat(),
        "meeting": v.meeting_id,
        "item": v.item_id,
        "powers": selectors.power_codes(v),
        "note": v.note,
        "digest": v.digest,
        "ledger_index": v.ledger_index,
    }
    if body:
        out["body"] = v.body
    return out


def rule_out(rule: Rule, viewer: Person) -> dict[str, Any]:
    versions = selectors.versions_of(rule)
    current = versions[-1]
    return {
        "code": rule.code,
        "title": rule.title,
        "group": rule.group,
        "version": rule.version,
        "adopted": rule.adopted.isoformat(),
        "status": rule.status,
        "repealed_on": rule.repealed_on.isoformat() if rule.repealed_on else None,
        "repeal_meeting": rule.repeal_meeting_id,
        "repeal_reason": rule.repeal_reason,
        "powers": selectors.power_codes(current),
        "body": current.body,
        "model": rule.model_id,
        "model_version": rule.model_version,
        "actions": rules.actions_for(viewer, rule),
        "versions": [version_out(v) for v in versions],
    }


def _powers(unit: Unit, codes: list[str] | None) -> list[Power] | None:
    if codes is None:
        return None
    found, unknown = selectors.unit_powers(unit, codes)
    if unknown:
        raise Invalid(
            "validation", "制度填写有误", {"fields": {"powers": [f"本单位没有职权：{'、'.join(unknown)}"]}}
        )
    return found


class AdoptedBy(Schema):
    meeting: int | None = Field(
        None, description="通过的会议（本单位已封存会议）；系统启用前通过的制度可为空"
    )
    item: int | None = Field(None, description="该会议上获通过的议题")
    adopted: IsoDate | None = Field(
        None, description="通过日期：即会议日期；无会议时必填且须早于单位启用系统之日"
    )

    def text_and_adoption(self, *names: str) -> dict[str, Any]:
        """The named text fields and the adoption (meeting, item, date), as a service's keywords."""
        return {name: getattr(self, name) for name in (*names, "meeting", "item", "adopted")}


class CreateIn(AdoptedBy):
    code: str = Field(..., max_length=32)
    title: str = Field(..., max_length=128)
    body: str = Field(..., max_length=50000)
    group: str = Field("", max_length=64)
    powers: list[Name] = Field(default_factory=list, description="所涉职权代码")


@router.post("/units/{code}/rules", response={201: RuleOut}, summary="登记集体通过的制度（第 1 版）")
def create(request: AuthedRequest, code: str, payload: CreateIn) -> Status[dict[str, Any]]:
    unit, _qs = selectors.list_rules_for_unit(request.auth, code)
    rule = services.create_rule(
        by=request.auth,
        unit=unit,
        powers=_powers(unit, payload.powers),
        **payload.text_and_adoption("code", "title", "body", "group"),
    )
    return Status(201, rule_out(rule, request.auth))


class AdoptIn(AdoptedBy):
    model: int = Field(..., description="本区制度范本")
    code: str = Field("", max_length=32, description="本单位的制度编号，默认用范本编号")
    group: str | None = Field(None, max_length=64)
    powers: list[Name] | None = Field(None, description="默认：本单位属于范本适用类别的职权")


@router.post(
    "/units/{code}/rules/adopt", response={201: RuleOut}, summary="采用本区制度范本（生成本单位第 1 版）"
)
def adopt(request: AuthedRequest, code: str, payload: AdoptIn) -> Status[dict[str, Any]]:
    unit, _qs = selectors.list_rules_for_unit(request.auth, code)
    model = selectors.get_model_for(request.auth, payload.model)
    rule = services.adopt_model(
        by=request.auth,
        unit=unit,
        model=model,
        powers=_powers(unit, payload.powers),
        **payload.text_and_adoption("code", "group"),
    )
    return Status(201, rule_out(rule, request.auth))


@router.get("/units/{code}/rules/{rule}", response=RuleOut, summary="一项制度：现行文本与历次版本")
def get_rule(request: AuthedRequest, code: str, rule: str) -> dict[str, Any]:
    return rule_out(selectors.get_rule_for(request.auth, code, rule), request.auth)


@router.get("/units/{code}/rules/{rule}/versions/{number}", response=VersionTextOut, summary="某一版本的全文")
def get_version(request: AuthedRequest, code: str, rule: str, number: int) -> dict[str, Any]:
    found = selectors.get_rule_for(request.auth, code, rule)
    return version_out(selectors.get_version(found, number), body=True)


class ReviseIn(AdoptedBy):
    title: str | None = Field(None, max_length=128)
    body: str | None = Field(None, max_length=50000)
    group: str | None = Field(None, max_length=64)
    powers: list[Name] | None = None
    note: str = Field("", max_length=4000, description="修订说明")


@router.post(
    "/units/{code}/rules/{rule}/versions", response={201: RuleOut}, summary="修订制度：新版本取代现行版本"
)
def revise(request: AuthedRequest, code: str, rule: str, payload: ReviseIn) -> Status[dict[str, Any]]:
    found = selectors.get_rule_for(request.auth, code, rule)
    revised = services.revise_rule(
        by=request.auth,
        rule=found,
        powers=_powers(found.unit, payload.powers),
        **payload.text_and_adoption("title", "body", "group", "note"),
    )
    return Status(201, rule_out(revised, request.auth))


class RepealIn(Schema):
    meeting: int = Field(..., description="作出废止决定的本单位已封存会议")
    item: int
    reason: str = Field("", max_length=4000)


@router.post(
    "/units/{code}/rules/{rule}/repeal", response=RuleOut, summary="废止制度（已废止的制度不能恢复）"
)
def repeal(request: AuthedRequest, code: str, rule: str, payload: RepealIn) -> dict[str, Any]:
    found = selectors.get_rule_for(request.auth, code, rule)
    repealed = services.repeal_rule(
        by=request.auth, rule=found, meeting=payload.meeting, item=payload.item, reason=payload.reason
    )
    return rule_out(repealed, request.auth)


class DiffRow(Schema):
    op: Literal["equal", "delete", "insert"]
    old: int | None
    new: int | None
    text: str


class DiffOut(Schema):
    from_version: int = Field(..., alias="from")
    to: int
    title: dict[str, Any]
    powers: dict[str, list[str]]
    inserted: int
    deleted: int
    rows: list[DiffRow]


class DiffQuery(Schema):
    from_version: int | None = Field(None, alias="from", description="默认：上一版本")
    to: int | None = Field(None, description="默认：现行版本")


@router.get(
    "/units/{code}/rules/{rule}/diff",
    response=DiffOut,
    by_alias=True,
    summary="两个版本之间的逐行差异",
)
def diff(request: AuthedRequest, code: str, rule: str, q: Query[DiffQuery]) -> dict[str, Any]:
    found = selectors.get_rule_for(request.auth, code, rule)
    result = selectors.diff(found, q.from_version, q.to)
    result["rows"] = [r.__dict__ for r in result["rows"]]
    return result


# -- the district's library of model rules ----------------------------------------------------------------


class ModelOut(Schema):
    id: int
    district: str
    code: str
    group: str
    title: str
    body: str
    categories: list[str]
    version: int
    status: Literal["active", "withdrawn"]
    actions: dict[str, bool]


def model_out(model: ModelRule, viewer: Person) -> dict[str, Any]:
    return {
        "id": model.pk,
        "district": model.district.code,
        "code": model.code,
        "group": model.group,
        "title": model.title,
        "body": model.body,
        "categories": sorted(c.code for c in model.categories.all()),
        "version": model.version,
        "status": model.status,
        "actions": rules.model_actions_for(viewer, model),
    }


def _categories(codes: list[str] | None) -> list[Category] | None:
    if codes is None:
        return None
    found = list(Category.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {c.code for c in found})
    if unknown:
        raise Invalid(
            "validation", "范本填写有误", {"fields": {"categories": [f"没有职权类别：{'、'.join(unknown)}"]}}
        )
    return found


@router.get("/districts/{code}/model-rules", response=list[ModelOut], summary="本区制度范本库")
@paginate(Page)
def list_models(request: AuthedRequest, code: str, include_withdrawn: bool = False) -> list[dict[str, Any]]:
    district = selectors.get_district_for_library(request.auth, code)
    return [
        model_out(m, request.auth)
        for m in selectors.list_models(district, include_withdrawn=include_withdrawn)
    ]


class ModelIn(Schema):
    code: str = Field(..., max_length=32)
    title: str = Field(..., max_length=128)
    body: str = Field(..., max_length=50000)
    group: str = Field("", max_length=64)
    categories: list[Name] = Field(default_factory=list, description="适用职权类别代码")


@router.post(
    "/districts/{code}/model-rules", response={201: ModelOut}, summary="新增制度范本（区纪委管理员）"
)
def create_model(request: AuthedRequest, code: str, payload: ModelIn) -> Status[dict[str, Any]]:
    district = selectors.get_district_for_library(request.auth, code)
    model = services.create_model(
        by=request.auth,
        district=district,
        code=payload.code,
        title=payload.title,
        body=payload.body,
        group=payload.group,
        categories=_categories(payload.categories),
    )
    return Status(201, model_out(model, request.auth))


@router.get("/model-rules/{model_id}", response=ModelOut, summary="一个制度范本")
def get_model(request: AuthedRequest, model_id: int) -> dict[str, Any]:
    return model_out(selectors.get_model_for(request.auth, model_id), request.auth)


class ModelChangeIn(Schema):
    title: str | None = Field(None, max_length=128)
    body: str | None = Field(None, max_length=50000)
    group: str | None = Field(None, max_length=64)
    categories: list[Name] | None = None


@router.patch(
    "/model-rules/{model_id}", response=ModelOut, summary="修改制度范本（区纪委管理员；范本版本加一）"
)
def edit_model(request: AuthedRequest, model_id: int, payload: ModelChangeIn) -> dict[str, Any]:
    model = selectors.get_model_for(request.auth, model_id)
    model = services.edit_model(
        by=request.auth,
        model=model,
        title=payload.title,
        body=payload.body,
        group=payload.group,
        categories=_categories(payload.categories),
    )
    return model_out(model, request.auth)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=4000)


@router.post("/model-rules/{model_id}/withdraw", response=ModelOut, summary="停用制度范本（区纪委管理员）")
def withdraw_model(request: AuthedRequest, model_id: int, payload: WithdrawIn) -> dict[str, Any]:
    model = selectors.get_model_for(request.auth, model_id)
    return model_out(
        services.withdraw_model(by=request.auth, model=model, reason=payload.reason), request.auth
    )
