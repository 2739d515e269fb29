"""REST endpoints of inspection tours (API.md "Programme": `GET /districts/{code}/tours` → items {"id",
"units": [code], "opinions", "rectifications", "rectifications_closed", "leads"}, exactly): the district's
tours, one tour, a unit's rectifications, and the writes — open a tour, complete a step, record opinions,
open, answer and close a rectification, transfer a lead. Refusals cite R-GATE-5. Interfaces only: parse,
fetch through the selectors (404 alike), call a service."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from zhiheng.accounts.http import AuthedRequest
from zhiheng.accounts.models import Person
from zhiheng.accounts.selectors import person_in_field
from zhiheng.api.pagination import Page
from zhiheng.core.input_types import IsoDate

from . import rules, selectors, services
from .models import Rectification, Tour

router = Router(tags=["tours"])


class TourOut(Schema):
    id: int
    units: list[str] = Field(..., description="被巡察单位代码")
    opinions: int = Field(..., description="收集意见建议条数")
    rectifications: int = Field(..., description="要求整改问题个数")
    rectifications_closed: int = Field(..., description="已销号的整改问题个数")
    leads: int = Field(..., description="移交问题线索条数")


def tour_out(tour: Tour) -> dict[str, Any]:
    return {
        "id": tour.pk,
        "units": sorted(t.unit_code for t in tour.targets.all()),
        "opinions": tour.n_opinions,  # type: ignore[attr-defined]
        "rectifications": tour.n_rectifications,  # type: ignore[attr-defined]
        "rectifications_closed": tour.n_closed,  # type: ignore[attr-defined]
        "leads": tour.n_leads,  # type: ignore[attr-defined]
    }


@router.get(
    "/districts/{code}/tours", response=list[TourOut], summary="本区集中巡察（R-GATE-5；区纪委与巡察组）"
)
@paginate(Page)
def list_tours(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    _district, tours = selectors.list_tours_for(request.auth, code)
    return [tour_out(t) for t in tours]


class RectificationOut(Schema):
    id: int
    tour: int
    unit: str
    title: str
    opened_on: str
    deadline: str
    state: str = Field(..., description="open 整改中 | answered 待销号 | accepted 已销号")
    overdue: bool
    response: str
    answered_on: str | None
    evidence: str
    closed_on: str | None


def rectification_out(item: Rectification) -> dict[str, Any]:
    return {
        "id": item.pk,
        "tour": item.tour_id,
        "unit": item.target.unit_code,
        "title": item.title,
        "opened_on": item.opened_on.isoformat(),
        "deadline": item.deadline.isoformat(),
        "state": item.state,
        "overdue": selectors.overdue_item(item),
        "response": item.response,
        "answered_on": item.answered_on.isoformat() if item.answered_on else None,
        "evidence": item.evidence,
        "closed_on": item.closed_on.isoformat() if item.closed_on else None,
    }


class TargetOut(Schema):
    unit: str
    name: str
    principal: str | None
    principal_name: str


class TourOpinionOut(Schema):
    id: int
    unit: str | None
    way: str
    count: int
    summary: str
    collected_on: str


class LeadOut(Schema):
    id: int
    unit: str
    summary: str
    transferred_on: str
    case: int | None


class TourDetailOut(TourOut):
    title: str
    district: str
    started_on: str
    done_on: str | None
    steps: list[str]
    ways: list[str]
    measures: list[str]
    step: int = Field(..., description="已完成的步骤数")
    team: list[str]
    targets: list[TargetOut]
    opinion_records: list[TourOpinionOut]
    rectification_items: list[RectificationOut]
    lead_records: list[LeadOut]
    actions: dict[str, bool]


def tour_detail(tour: Tour, viewer: Person) -> dict[str, Any]:
    tour = selectors.get_tour_for(viewer, tour.pk)
    targets = list(selectors.targets_of(tour))
    return {
        **tour_out(tour),
        "title": tour.title,
        "district": tour.district.code,
        "started_on": tour.started_on.isoformat(),
        "done_on": tour.done_on.isoformat() if tour.done_on else None,
        "steps": tour.steps,
        "ways": tour.ways,
        "measures": tour.measures,
        "step": tour.step,
        "team": sorted(p.username for p in tour.team.all()),
        "targets": [
            {
                "unit": t.unit_code,
                "name": t.unit_name,
                "principal": t.principal.username if t.principal else None,
                "principal_name": t.principal_name,
            }
            for t in targets
        ],
        "opinion_records": [
            {
                "id": o.pk,
                "unit": o.target.unit_code if o.target else None,
                "way": o.way,
                "count": o.count,
                "summary": o.summary,
                "collected_on": o.collected_on.isoformat(),
            }
            for o in tour.opinions.select_related("target")
        ],
        "rectification_items": [rectification_out(r) for r in tour.rectifications.select_related("target")],
        "lead_records": [
            {
                "id": lead.pk,
                "unit": lead.target.unit_code,
                "summary": lead.summary,
                "transferred_on": lead.transferred_on.isoformat(),
                "case": lead.case_id,
            }
            for lead in tour.leads.select_related("target")
        ],
        "actions": rules.actions_for(viewer, tour),
    }


@router.get("/tours/{tour_id}", response=TourDetailOut, summary="一次巡察：步骤、意见、整改问题、移交线索")
def get_tour(request: AuthedRequest, tour_id: int) -> dict[str, Any]:
    return tour_detail(selectors.get_tour_for(request.auth, tour_id), request.auth)


class TourOpenIn(Schema):
    title: str = Field(..., max_length=200)
    units: list[str] = Field(..., description="被巡察单位代码")
    team: list[str] = Field(..., description="巡察组成员用户名（本区纪委或督察组人员）")
    started_on: IsoDate | None = None


@router.post("/districts/{code}/tours", response={201: TourDetailOut}, summary="开展巡察（区纪委管理员）")
def open_tour(request: AuthedRequest, code: str, payload: TourOpenIn) -> Status[dict[str, Any]]:
    district = selectors.get_district_for(request.auth, code)
    team = [person_in_field(name, "team") for name in payload.team]
    tour = services.open_tour(
        by=request.auth,
        district=district,
        title=payload.title,
        units=selectors.units_in(district, payload.units),
        team=[p for p in team if p is not None],
        started_on=payload.started_on,
    )
    return Status(201, tour_detail(tour, request.auth))


class TourNoteIn(Schema):
    note: str = Field("", max_length=4000)


@router.post(
    "/tours/{tour_id}/advance", response=TourDetailOut, summary="完成下一步骤（有未销号整改时不能结束）"
)
def advance(request: AuthedRequest, tour_id: int, payload: TourNoteIn) -> dict[str, Any]:
    tour = selectors.get_tour_for(request.auth, tour_id)
    return tour_detail(services.advance_step(by=request.auth, tour=tour, note=payload.note), request.auth)


class OpinionsIn(Schema):
    way: str = Field(..., max_length=40, description="了解情况方式（本次巡察工作法之一）")
    count: int = Field(1, description="意见条数")
    unit: str | None = Field(None, description="涉及的被巡察单位代码")
    summary: str = Field("", max_length=4000)
    collected_on: IsoDate | None = None


@router.post("/tours/{tour_id}/opinions", response={201: TourOpinionOut}, summary="登记收集的意见建议")
def record_opinions(request: AuthedRequest, tour_id: int, payload: OpinionsIn) -> Status[dict[str, Any]]:
    tour = selectors.get_tour_for(request.auth, tour_id)
    opinion = services.record_opinions(
        by=request.auth,
        tour=tour,
        way=payload.way,
        count=payload.count,
        unit=selectors.unit_in(tour.district, payload.unit),
        summary=payload.summary,
        collected_on=payload.collected_on,
    )
    return Status(
        201,
        {
            "id": opinion.pk,
            "unit": opinion.target.unit_code if opinion.target else None,
            "way": opinion.way,
            "count": opinion.count,
            "summary": opinion.summary,
            "collected_on": opinion.collected_on.isoformat(),
        },
    )


class RectificationIn(Schema):
    unit: str
    title: str = Field(..., max_length=200)
    deadline: IsoDate


@router.post("/tours/{tour_id}/rectifications", response={201: RectificationOut}, summary="交办整改问题")
def open_rectification(
    request: AuthedRequest, tour_id: int, payload: RectificationIn
) -> Status[dict[str, Any]]:
    tour = selectors.get_tour_for(request.auth, tour_id)
    unit = selectors.unit_in(tour.district, payload.unit)
    item = services.open_rectification(
        by=request.auth, tour=tour, unit=unit, title=payload.title, deadline=payload.deadline
    )
    return Status(201, rectification_out(item))


class TourAnswerIn(Schema):
    response: str = Field(..., max_length=8000)


@router.post(
    "/tour-rectifications/{item_id}/answer",
    response=RectificationOut,
    summary="报告整改情况（被巡察单位一把手或纪检组长）",
)
def answer(request: AuthedRequest, item_id: int, payload: TourAnswerIn) -> dict[str, Any]:
    item = selectors.get_rectification_for(request.auth, item_id)
    return rectification_out(
        services.answer_rectification(by=request.auth, item=item, response=payload.response)
    )


class TourCloseIn(Schema):
    evidence: str = Field(..., max_length=8000, description="销号依据")
    closed_on: IsoDate | None = Field(None, description="销号日期，默认今天；不得早于单位报告日期")


@router.post(
    "/tour-rectifications/{item_id}/close", response=RectificationOut, summary="整改问题销号（巡察组）"
)
def close(request: AuthedRequest, item_id: int, payload: TourCloseIn) -> dict[str, Any]:
    item = selectors.get_rectification_for(request.auth, item_id)
    item = services.close_rectification(
        by=request.auth, item=item, evidence=payload.evidence, closed_on=payload.closed_on
    )
    return rectification_out(item)


class LeadIn(Schema):
    unit: str
    summary: str = Field(..., max_length=8000)
    case: int | None = Field(None, description="并入的本区举报案件编号")


@router.post("/tours/{tour_id}/leads", response={201: LeadOut}, summary="移交问题线索（转区纪委案件办理）")
def transfer_lead(request: AuthedRequest, tour_id: int, payload: LeadIn) -> Status[dict[str, Any]]:
    tour = selectors.get_tour_for(request.auth, tour_id)
    unit = selectors.unit_in(tour.district, payload.unit)
    case = selectors.case_in(tour.district, payload.case)
    lead = services.transfer_lead(by=request.auth, tour=tour, unit=unit, summary=payload.summary, case=case)
    return Status(
        201,
        {
            "id": lead.pk,
            "unit": lead.target.unit_code,
            "summary": lead.summary,
            "transferred_on": lead.transferred_on.isoformat(),
            "case": lead.case_id,
        },
    )


@router.get(
    "/units/{code}/tour-rectifications",
    response=list[RectificationOut],
    summary="本单位的巡察整改问题（领导班子、纪检组长与区纪委）",
)
@paginate(Page)
def unit_rectifications(request: AuthedRequest, code: str) -> list[dict[str, Any]]:
    _unit_row, qs = selectors.rectifications_of_unit(request.auth, code)
    return [rectification_out(r) for r in qs]
