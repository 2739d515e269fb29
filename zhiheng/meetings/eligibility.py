"""Who takes part in deciding an item, and who may be decided on: recusals (R-MTG-9) and candidates'
prerequisites (R-MTG-5). Reads only.

(Named for what it decides: "integrity" in this codebase means the ledger's tamper-evidence; the 廉政 capabilities of SPEC §9.1 — exams, declarations, opinions — will be
their own app, and these two seams are where the meetings app asks it.)

- `candidate_prerequisites(candidate)` lists what still keeps a candidate from being decided on: a
  passed integrity exam 廉政考试, a filed declaration 个人事项申报, a commission integrity opinion
  without objection 廉政意见. It returns [] today; the declarations/exams capability fills it in, and
  the close (services.closing.close_meeting) already calls it: a non-empty list defers the item (R-MTG-5).
- `family_ties(person, item)` lists declared family ties of a member to an item's matter or
  candidates. [] today; `recusals()` already honours it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhiheng.accounts.models import Person
    from zhiheng.matters.models import Matter

    from .models import Candidate, Item


def candidate_prerequisites(candidate: Candidate) -> list[str]:
    """Unmet integrity prerequisites of a candidate, as human (zh-Hans) reasons; [] when none."""
    return []


def family_ties(person: Person, item: Item) -> list[str]:
    """Declared family ties of `person` to `item` (its matter's counterparty or a candidate); [] today."""
    return []


def recusals(item: Item, members: list[Person], matter: Matter | None = None) -> dict[str, str]:
    """R-MTG-9: {username: reason} of the members recused from an item.

    A member is recused when they submitted the item's matter, are its counterparty (as a person), are a
    candidate of the item, or have a declared family tie to it.
    """
    out: dict[str, str] = {}
    candidate_people = {c.person_id for c in item.candidates.all() if c.person_id}
    for person in members:
        if matter is not None and matter.submitted_by_id == person.pk:
            out[person.username] = "submitter"
        elif matter is not None and matter.counterparty_person_id == person.pk:
            out[person.username] = "counterparty"
        elif person.pk in candidate_people:
            out[person.username] = "candidate"
        elif family_ties(person, item):
            out[person.username] = "family-tie"
    return out


RECUSAL_LABELS = {
    "submitter": "事项提交人",
    "counterparty": "事项相对方",
    "candidate": "本议题候选人",
    "family-tie": "申报的亲属关系",
}
