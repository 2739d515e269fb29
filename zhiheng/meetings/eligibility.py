"""Who takes part in deciding an item, and who may be decided on: recusals (R-MTG-9) and candidates'
prerequisites (R-MTG-5). Reads only.

(Named for what it decides: "integrity" in this codebase means the ledger's tamper-evidence; the 廉政
check-up of SPEC §9.1 is the checkup app, a layer below, and this module is where meetings asks it.)

- `candidate_prerequisites(candidate)` lists what still keeps a candidate from being decided on
  (checkup.selectors.prerequisites): a passed exam still valid 廉政考试, a declaration for this year or the
  last 廉情申报, the commission's opinion of no objection 廉政意见. The close defers an item with any unmet
  (services.closing). A candidate named only by a free name has no account whose gates the system could
  check: the hole-6 rule already refuses a free name that is the name of anyone in the district, so a free
  name is someone from outside, checked on paper.
- `family_ties(person, item, matter)` lists a member's declared ties (RF3) to the item's matter's
  counterparty or to a candidate; `recusals()` recuses such a member, and quorum and majority are computed
  without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhiheng.checkup import selectors as checkup
from zhiheng.matters import conflicts

if TYPE_CHECKING:
    from zhiheng.accounts.models import Person
    from zhiheng.matters.models import Matter

    from .models import Candidate, Item


def candidate_prerequisites(candidate: Candidate) -> list[str]:
    """Unmet integrity prerequisites of a candidate, as human (zh-Hans) reasons; [] when none."""
    if candidate.person is None:
        return []
    return checkup.prerequisites(candidate.person)


class Ties:
    """The members' declared-tie matchers (matters.conflicts), read for all of them in one query the
    first time an item with candidates or a counterparty asks; a whole agenda shares one."""

    def __init__(self, members: list[Person]) -> None:
        self.members = members
        self._matchers: dict[int, conflicts.Matcher] | None = None

    def of(self, person: Person) -> conflicts.Matcher:
        if self._matchers is None:
            self._matchers = conflicts.matchers_for(self.members)
        return self._matchers.get(person.pk) or conflicts.matcher_for(person)


def family_ties(person: Person, item: Item, matter: Matter | None, ties: Ties | None = None) -> list[str]:
    """The member's declared ties (RF3) to the matter's counterparty or to a candidate of the item;
    nothing is opened for an item without either."""
    names = [c.name for c in item.candidates.all()]
    if matter is not None and matter.counterparty:
        names.append(matter.counterparty)
    if not names:
        return []
    match = (ties or Ties([person])).of(person)
    return [reason for name in names for reason in match(name)]


def recusals(
    item: Item, members: list[Person], matter: Matter | None = None, ties: Ties | None = None
) -> dict[str, str]:
    """R-MTG-9: {username: reason} of the members recused from an item.

    A member is recused when they submitted the item's matter, are its counterparty (as a person), are a
    candidate of the item, or declared a family tie to it (RF3: a relative who is a candidate, a business
    of a spouse or child that is the counterparty).
    """
    ties = ties or Ties(members)
    out: dict[str, str] = {}
    candidate_people = {c.person_id for c in item.candidates.all() if c.person_id}
    for person in members:
        if matter is not None and matter.submitted_by_id == person.pk:
            out[person.username] = "submitter"
        elif matter is not None and matter.counterparty_person_id == person.pk:
            out[person.username] = "counterparty"
        elif person.pk in candidate_people:
            out[person.username] = "candidate"
        elif family_ties(person, item, matter, ties):
            out[person.username] = "family-tie"
    return out


RECUSAL_LABELS = {
    "submitter": "事项提交人",
    "counterparty": "事项相对方",
    "candidate": "本议题候选人",
    "family-tie": "申报的亲属或其企业与本议题有关（RF3）",
}
