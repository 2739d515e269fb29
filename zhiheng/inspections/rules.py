"""Who may do what with checks (R-SUP-2): `can_<verb>` answers pages and API `actions`; `ensure_<verb>`
refuses for services. Both come from one refusal function per use case, so they cannot disagree.

- open a check on a unit: a member of the unit's district's inspection groups, today;
- close it, record findings, accept or return a rectification: a member of the check's own group;
- read the read log and the sample: that group and the district's commission — the inspected unit's team
  only once the check is closed (until then the principal must not learn who and what was looked at);
- answer a rectification item: its owner, or another member of the unit's leadership team.
"""

from __future__ import annotations

from zhiheng.accounts.models import Person
from zhiheng.core import clock
from zhiheng.core.errors import DomainError
from zhiheng.org import rules as org_rules
from zhiheng.org import selectors as org
from zhiheng.org.models import Unit

from . import selectors, states
from .errors import CheckClosed, NotInspector, NotTheUnit, OutOfOrder
from .models import Finding, Inspection


def _raise(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def is_inspection_member(person: Person, unit: Unit) -> bool:
    return (
        person.is_authenticated
        and selectors.inspection_roles(person).filter(district=unit.district_id).exists()
    )


def in_group(person: Person, inspection: Inspection) -> bool:
    """Does the person serve in the check's group today (the group that holds its grant)?"""
    if not person.is_authenticated:
        return False
    roles = selectors.inspection_roles(person).filter(district=inspection.unit.district_id)
    return (
        roles.filter(group=inspection.group).exists()
        if inspection.group
        else roles.filter(group__isnull=True).exists()
    )


# -- opening and closing a check -------------------------------------------------------------------


def open_refusal(person: Person, unit: Unit) -> DomainError | None:
    return None if is_inspection_member(person, unit) else NotInspector(detail={"unit": unit.code})


def can_open(person: Person, unit: Unit) -> bool:
    return open_refusal(person, unit) is None


def ensure_open(by: Person, unit: Unit) -> None:
    _raise(open_refusal(by, unit))


def close_refusal(person: Person, inspection: Inspection) -> DomainError | None:
    if not in_group(person, inspection):
        return NotInspector(detail={"inspection": inspection.pk})
    if inspection.closed_at is not None:
        return CheckClosed(detail={"inspection": inspection.pk})
    return None


def can_close(person: Person, inspection: Inspection) -> bool:
    return close_refusal(person, inspection) is None


def ensure_close(by: Person, inspection: Inspection) -> None:
    _raise(close_refusal(by, inspection))


# -- what the group saw ------------------------------------------------------------------------------


def can_read_log(person: Person, inspection: Inspection) -> bool:
    """The read log and the sample: the group and the commission; the unit's team after the close."""
    if in_group(person, inspection) or org_rules.is_commission_admin(person, inspection.unit.district):
        return True
    return inspection.closed_at is not None and org.is_team_member(person, inspection.unit)


# -- findings and their rectification ----------------------------------------------------------------


def record_refusal(person: Person, inspection: Inspection) -> DomainError | None:
    """Findings are recorded by the group while the check is not closed (after the grant expires too: the
    write-up may come after the reading)."""
    return close_refusal(person, inspection)


def can_record(person: Person, inspection: Inspection) -> bool:
    return record_refusal(person, inspection) is None


def ensure_record(by: Person, inspection: Inspection) -> None:
    _raise(record_refusal(by, inspection))


def answer_refusal(person: Person, finding: Finding) -> DomainError | None:
    if finding.owner_id != person.pk and not org.is_team_member(person, finding.inspection.unit):
        return NotTheUnit(detail={"finding": finding.pk})
    if states.next_state(finding.state, "answer") is None:
        return OutOfOrder(detail={"finding": finding.pk, "state": finding.state})
    return None


def can_answer(person: Person, finding: Finding) -> bool:
    return answer_refusal(person, finding) is None


def ensure_answer(by: Person, finding: Finding) -> None:
    _raise(answer_refusal(by, finding))


def judge_refusal(person: Person, finding: Finding, action: str) -> DomainError | None:
    """Accepting (销号) or returning a rectification: the check's group, once the unit has answered."""
    if not in_group(person, finding.inspection):
        return NotInspector(detail={"finding": finding.pk})
    if states.next_state(finding.state, action) is None:
        return OutOfOrder(detail={"finding": finding.pk, "state": finding.state})
    return None


def can_judge(person: Person, finding: Finding) -> bool:
    return judge_refusal(person, finding, "accept") is None


def ensure_judge(by: Person, finding: Finding, action: str) -> None:
    _raise(judge_refusal(by, finding, action))


def is_overdue(finding: Finding) -> bool:
    return not states.is_closed(finding.state) and finding.deadline < clock.today()


def actions_for(person: Person, inspection: Inspection) -> dict[str, bool]:
    """Every button of the check's page and the API's "actions", from the predicates above."""
    return {
        "close": can_close(person, inspection),
        "record_finding": can_record(person, inspection),
        "read_log": can_read_log(person, inspection),
    }


def finding_actions(person: Person, finding: Finding) -> dict[str, bool]:
    return {
        "answer": can_answer(person, finding),
        "accept": can_judge(person, finding),
        "return": can_judge(person, finding),
    }
