"""Reads of inspection tours (R-GATE-5): the district's tours with their figures, one tour, a unit's
rectifications, and what is overdue or due soon. 404 alike for what is missing and what is not the
viewer's to see (rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import NotFound
from zhiheng.org import selectors as org
from zhiheng.org.models import District, DistrictRoleKind, Unit
from zhiheng.reports.models import Case

from . import parameters, rules
from .errors import BadTour
from .models import Lead, Opinion, Rectification, Target, Tour
from .states import FindingState, is_overdue

CLOSED = Q(state=FindingState.ACCEPTED)


def _count(model: type[Rectification] | type[Lead], *conditions: Q) -> Coalesce:
    rows = model.objects.filter(*conditions, tour=OuterRef("pk")).order_by().values("tour")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0), output_field=IntegerField())


def with_figures(qs: QuerySet[Tour]) -> QuerySet[Tour]:
    """Each tour with its opinions (summed counts), rectifications (all and closed) and leads."""
    opinions = Opinion.objects.filter(tour=OuterRef("pk")).order_by().values("tour")
    return qs.annotate(
        n_opinions=Coalesce(
            Subquery(opinions.annotate(n=Sum("count")).values("n")), Value(0), output_field=IntegerField()
        ),
        n_rectifications=_count(Rectification),
        n_closed=_count(Rectification, CLOSED),
        n_leads=_count(Lead),
    )


def get_district_for(person: Person, code: str) -> District:
    """A district whose tours the person may read: its commission admins and inspection-group members."""
    kinds = {DistrictRoleKind.COMMISSION_ADMIN, DistrictRoleKind.INSPECTION}
    roles = org.district_roles_of(person).filter(district__code=code, role__in=kinds)
    found = roles.first() if person.is_authenticated else None
    if found is None:
        raise NotFound()
    return found.district


def list_tours_for(person: Person, code: str) -> tuple[District, list[Tour]]:
    """The district's tours the person may read (rules.can_view), newest first, with their figures."""
    district = get_district_for(person, code)
    qs = with_figures(Tour.objects.filter(district=district)).prefetch_related("targets")
    return district, [tour for tour in qs if rules.can_view(person, tour)]


def get_tour_for(person: Person, pk: int) -> Tour:
    tour = with_figures(Tour.objects.select_related("district")).filter(pk=pk).first()
    if tour is None or not rules.can_view(person, tour):
        raise NotFound()
    return tour


def get_rectification_for(person: Person, pk: int) -> Rectification:
    """One rectification, for the tour's staff and the unit's principal or inspector."""
    item = Rectification.objects.select_related("tour__district", "target__unit").filter(pk=pk).first()
    if item is None or not (rules.can_view(person, item.tour) or rules.can_answer(person, item)):
        raise NotFound()
    return item


def targets_of(tour: Tour) -> QuerySet[Target]:
    return tour.targets.select_related("unit", "principal")


def rectifications_of_unit(person: Person, code: str) -> tuple[Unit, QuerySet[Rectification]]:
    """A unit's rectifications from every tour of it — never the opinions or leads about it."""
    unit = org.get_unit_for(person, code)
    if not rules.can_view_unit(person, unit):
        raise NotFound()
    return unit, Rectification.objects.filter(target__unit=unit).select_related("tour", "target")


def overdue(qs: QuerySet[Rectification], today: dt.date | None = None) -> QuerySet[Rectification]:
    return qs.exclude(CLOSED).filter(deadline__lt=today or clock.today())


def due_soon(
    qs: QuerySet[Rectification], district: District, today: dt.date | None = None
) -> QuerySet[Rectification]:
    """Open, not yet overdue, due within the district's `due_soon_days`."""
    day = today or clock.today()
    days = int(parameters.in_force(district)["due_soon_days"])
    return qs.exclude(CLOSED).filter(deadline__gte=day, deadline__lte=day + dt.timedelta(days=days))


def of_district(district: District) -> QuerySet[Rectification]:
    return Rectification.objects.filter(tour__district=district)


def of_unit(unit: Unit) -> QuerySet[Rectification]:
    return Rectification.objects.filter(target__unit=unit)


@dataclass(frozen=True)
class WayCount:
    way: str
    count: int


def opinions_by_way(tour: Tour) -> list[WayCount]:
    """The tour's opinions counted per way of collecting, in the method's order (ways with none: 0)."""
    sums = dict(tour.opinions.values_list("way").annotate(n=Sum("count")).order_by())
    ways = tour.ways + [w for w in sums if w not in tour.ways]
    return [WayCount(way, int(sums.get(way, 0))) for way in ways]


def overdue_item(item: Rectification, today: dt.date | None = None) -> bool:
    return is_overdue(item.state, item.deadline, today or clock.today())


def units_in(district: District, codes: list[str], field: str = "units") -> list[Unit]:
    """The district's units by code, in the order given; 422 naming the field for a code it has not."""
    found = {u.code: u for u in Unit.objects.filter(district=district, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise BadTour(detail={"fields": {field: [f"本区没有单位：{'、'.join(missing)}"]}})
    return [found[c] for c in codes]


def unit_in(district: District, code: str | None, field: str = "unit") -> Unit | None:
    return units_in(district, [code], field)[0] if code else None


def case_in(district: District, pk: int | None) -> Case | None:
    """The district's report case a lead joins (None for none); 422 for a case of another district."""
    if not pk:
        return None
    case = Case.objects.filter(pk=pk, district=district).first()
    if case is None:
        raise BadTour(detail={"fields": {"case": ["须为本区的案件"]}})
    return case


def team_choices(district: District) -> list[tuple[str, str]]:
    """Who may be on a tour team: the district's commission admins and inspection-group members today."""
    from zhiheng.org.models import DistrictRole

    kinds = {DistrictRoleKind.COMMISSION_ADMIN, DistrictRoleKind.INSPECTION}
    roles = org.current(DistrictRole.objects.filter(district=district, role__in=kinds), clock.today())
    people = {r.person.username: r.person.name for r in roles.select_related("person")}
    return sorted(people.items())
