"""Who sees and handles warnings (R-GATE-7: warnings are routed to the unit inspector and the commission).

Decision (docs/decisions/0005-matters-engine.md): the district's commission admins and the unit's
inspector see a unit's warnings. The principal does not: RF1 is about the principal, who must be
unable to hide it and need not be shown it; deputies and staff are not supervisors.

In this app "rules" means authorization, as everywhere else; the red flags live in `redflags/`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.org.models import Membership, Role
from zhiheng.org.rules import is_commission_admin
from zhiheng.org.selectors import administered_districts, current

from .errors import Escalated, NotSupervisor
from .models import Warning


def visible_warnings(person: Person) -> QuerySet[Warning]:
    if not person.is_authenticated:
        return Warning.objects.none()
    day = clock.today()
    inspected = current(Membership.objects.filter(person=person, role=Role.INSPECTOR), day).values("unit_id")
    admin_of = administered_districts(person, day).values("pk")
    return Warning.objects.filter(Q(unit_id__in=inspected) | Q(unit__district__in=admin_of))


def can_view(person: Person, warning: Warning) -> bool:
    return visible_warnings(person).filter(pk=warning.pk).exists()


def can_resolve(person: Person, warning: Warning) -> bool:
    """The warning's owner resolves it: the unit's inspector until it is escalated, the district's
    commission admins always (R-GATE-7)."""
    if not person.is_authenticated:
        return False
    if is_commission_admin(person, warning.unit.district):
        return True
    return warning.escalated_at is None and (
        current(
            Membership.objects.filter(person=person, role=Role.INSPECTOR, unit_id=warning.unit_id),
            clock.today(),
        ).exists()
    )


def ensure_can_view(person: Person, warning: Warning) -> None:
    if not can_view(person, warning):
        raise NotSupervisor("只有本单位纪检组长或区纪委管理员可以查看预警", {"warning": warning.pk})


def ensure_can_resolve(person: Person, warning: Warning) -> None:
    if not can_resolve(person, warning):
        if warning.escalated_at is not None and can_view(person, warning):
            raise Escalated(detail={"warning": warning.pk, "escalated_at": warning.escalated_at.isoformat()})
        raise NotSupervisor(detail={"warning": warning.pk})


def resolvable(person: Person, warnings: list[Warning]) -> set[int]:
    """The warnings of a page the person may resolve (can_resolve for each, in two queries)."""
    if not person.is_authenticated:
        return set()
    day = clock.today()
    admin_of = set(administered_districts(person, day).values_list("pk", flat=True))
    inspected = set(
        current(Membership.objects.filter(person=person, role=Role.INSPECTOR), day).values_list(
            "unit_id", flat=True
        )
    )
    return {
        w.pk
        for w in warnings
        if w.unit.district_id in admin_of or (w.escalated_at is None and w.unit_id in inspected)
    }
