"""Who may see and do what in the integrity check-up (R-GATE-1..4): `can_<verb>` for pages and the API,
`ensure_<verb>` for services.

The declarations, exam results and opinions about a person are theirs and the commission's: the person
themself, and the commission admins of a district the person belongs or belonged to (a term in one of its
units or a district role). Nobody else sees even that they exist (404, not 403). A person files only their
own declaration; the commission records exams and issues opinions.
"""

from __future__ import annotations

from collections.abc import Sequence

from zhiheng.accounts.models import Person
from zhiheng.core.errors import Forbidden
from zhiheng.org import selectors as org
from zhiheng.org.models import District

from .errors import NotTheCandidate, NotTheDeclarant
from .states import Sitting, next_attempt


def is_commission_of(viewer: Person, person: Person) -> bool:
    """Does the viewer administer the commission of a district the person belongs or belonged to?"""
    if not viewer.is_authenticated:
        return False
    return (
        org.administered_districts(viewer).filter(pk__in=org.districts_ever_of(person).values("pk")).exists()
    )


def can_view(viewer: Person, person: Person) -> bool:
    return viewer.is_authenticated and (viewer.pk == person.pk or is_commission_of(viewer, person))


def can_declare(viewer: Person, person: Person) -> bool:
    return viewer.is_authenticated and viewer.pk == person.pk


def ensure_can_declare(by: Person, person: Person) -> None:
    if not can_declare(by, person):
        raise NotTheDeclarant(detail={"person": person.username})


def can_judge(viewer: Person, person: Person) -> bool:
    """Record an exam result or issue an opinion: the person's commission, never the person themself."""
    return viewer.pk != person.pk and is_commission_of(viewer, person)


def ensure_can_judge(by: Person | None, person: Person, *, rule: str, action: str) -> None:
    """`by=None` is the system (the demo builder)."""
    if by is not None and not can_judge(by, person):
        raise Forbidden(rule, f"只有候选人所在区的纪委管理员可以{action}", {"person": person.username})


def can_sit(viewer: Person, person: Person) -> bool:
    """Start, answer and submit an online sitting (R-GATE-1): the candidate themself only."""
    return viewer.is_authenticated and viewer.pk == person.pk


def ensure_can_sit(by: Person, person: Person) -> None:
    if not can_sit(by, person):
        raise NotTheCandidate(detail={"person": person.username})


def can_keep_bank(viewer: Person, district: District) -> bool:
    """The exam bank (R-GATE-1) is the district commission's: its admins import and export it."""
    return viewer.is_authenticated and org.administered_districts(viewer).filter(pk=district.pk).exists()


def ensure_can_keep_bank(by: Person | None, district: District) -> None:
    """`by=None` is the system (the demo builder)."""
    if by is not None and not can_keep_bank(by, district):
        raise Forbidden("R-GATE-1", "只有本区纪委管理员可以维护廉政考试题库", {"district": district.code})


def can_keep_archive_scheme(viewer: Person, district: District) -> bool:
    """The archive's categories (R-GATE-3) are the district commission's: its admins set them."""
    return can_keep_bank(viewer, district)


def ensure_can_keep_archive_scheme(by: Person | None, district: District) -> None:
    """`by=None` is the system (the demo builder)."""
    if by is not None and not can_keep_archive_scheme(by, district):
        raise Forbidden("R-GATE-3", "只有本区纪委管理员可以设置廉政档案类别", {"district": district.code})


def actions_for(viewer: Person, person: Person, sittings: Sequence[Sitting] = ()) -> dict[str, bool]:
    """Every button of a candidate's page and the API's `actions`; an exam is recordable while a sitting
    is left (states.next_attempt over the candidate's `sittings`)."""
    judge = can_judge(viewer, person)
    return {
        "declare": can_declare(viewer, person),
        "record_exam": judge and next_attempt(sittings) is not None,
        "issue_opinion": judge,
    }
