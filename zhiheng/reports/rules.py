"""Who may see and do what with reports (R-SUP-3) — the one place these rules are written.

- A report is handled by the commission of the district that received it: its commission admins (today) are
  its handlers. They list and read reports, write to the reporter, open cases and set their outcome.
- Nobody concerned ever sees a report, its existence or its counts: the person it names, and anyone holding a
  term of office in the unit concerned (principal, team, inspector, staff) — even if they are also a
  commission admin. For them a report is exactly as missing as a report that does not exist (404), in lists,
  counts and pages alike; a case is invisible to anyone concerned by any of its reports.
- The reporter's identity is opened only by the case's named handlers, each time with a reason; so is the
  original of an attachment (kept only with the reporter's consent). Clean attachments are read like reports.
- A reporter reaches their own report only, with its receipt and passphrase (services.follow_up).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import Invalid
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import District, DistrictRole, DistrictRoleKind, Membership

from .errors import NotAHandler, NotForTheCommission
from .models import Case, Report


def units_of(person: Person) -> QuerySet[Any, Any]:
    """The ids of the units where the person holds a term today (their reports are never theirs to see)."""
    return org.current_memberships_of(person).order_by().values("unit_id")


def concerned(person: Person) -> Q:
    """Reports that concern `person`: naming them, or about a unit where they hold a term."""
    return Q(person=person) | Q(unit__in=units_of(person))


def is_concerned(person: Person, report: Report) -> bool:
    if report.person_id is not None and report.person_id == person.pk:
        return True
    return report.unit is not None and bool(org.roles_of(person, report.unit))


def visible_reports(person: Person) -> QuerySet[Report]:
    """The reports `person` handles: of the districts whose commission they administer, none that concern
    them."""
    if not person.is_authenticated:
        return Report.objects.none()
    return Report.objects.filter(district__in=org.administered_districts(person)).exclude(concerned(person))


def visible_cases(person: Person) -> QuerySet[Case]:
    if not person.is_authenticated:
        return Case.objects.none()
    concerning = Report.objects.filter(concerned(person)).filter(case__isnull=False).values("case_id")
    return Case.objects.filter(district__in=org.administered_districts(person)).exclude(pk__in=concerning)


def can_handle(person: Person, report: Report) -> bool:
    return (
        person.is_authenticated
        and org_rules.is_commission_admin(person, report.district)
        and not is_concerned(person, report)
    )


def ensure_can_handle(by: Person | None, report: Report) -> None:
    """`by=None` is the system (the demo builder)."""
    if by is not None and not can_handle(by, report):
        raise NotForTheCommission(detail={"report": report.pk})


def can_handle_case(person: Person, case: Case) -> bool:
    return visible_cases(person).filter(pk=case.pk).exists()


def may_see_case(person: Person, case_id: int) -> bool:
    """Whether `person` may know of the case at all (its integrity-archive entries follow this)."""
    return visible_cases(person).filter(pk=case_id).exists()


def ensure_can_handle_case(by: Person | None, case: Case) -> None:
    if by is not None and not can_handle_case(by, case):
        raise NotForTheCommission(detail={"case": case.pk})


def can_reveal(person: Person, report: Report) -> bool:
    """Open the reporter's identity: a named handler of the report's case, who may handle it today."""
    return (
        report.case_id is not None
        and can_handle(person, report)
        and report.case is not None
        and report.case.handlers.filter(pk=person.pk).exists()
    )


def ensure_can_reveal(by: Person, report: Report) -> None:
    if not can_reveal(by, report):
        raise NotAHandler(detail={"report": report.pk})


def ensure_read_original(by: Person, report: Report, reason: str) -> None:
    """The reporter's own file, kept only with their consent, may carry what identifies them (its name,
    EXIF, GPS, author): it is opened like their identity — by a named handler of the report's case — and
    only with a reason."""
    if not can_reveal(by, report):
        raise NotAHandler("只有本案指定的承办人可以查看附件原始文件", detail={"report": report.pk})
    if len(reason.strip()) < 4:
        raise Invalid("R-SUP-3", "查看附件原始文件须写明理由", {"fields": {"reason": ["请写明理由"]}})


def can_be_named_handler(person: Person, case: Case) -> bool:
    return can_handle_case(person, case)


def actions_for(person: Person, report: Report) -> dict[str, bool]:
    handle = can_handle(person, report)
    return {
        "read": handle,
        "reply": handle,
        "open_case": handle and report.case_id is None,
        "reveal_identity": (not report.anonymous) and can_reveal(person, report),
        "read_original": can_reveal(person, report),
    }


def eligible_handlers(district: District, reports: list[Report]) -> QuerySet[Person]:
    """Who may be named a handler of a case of these reports: the district's commission admins today, less
    anyone the reports concern (named, or holding a term in a unit concerned)."""
    today = clock.today()
    admins = org.current(
        DistrictRole.objects.filter(district=district, role=DistrictRoleKind.COMMISSION_ADMIN), today
    ).values("person_id")
    units = {r.unit_id for r in reports if r.unit_id}
    in_units = org.current(Membership.objects.filter(unit_id__in=units), today).values("person_id")
    return (
        Person.objects.filter(pk__in=admins)
        .exclude(pk__in={r.person_id for r in reports if r.person_id})
        .exclude(pk__in=in_units)
        .order_by("username")
    )
