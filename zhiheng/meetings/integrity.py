"""Seams to the integrity capabilities of SPEC §9.1 that do not exist yet: prerequisites of a
candidate (R-MTG-5) and family ties (R-MTG-9), plus today's recusal rule.

- `candidate_prerequisites(candidate)` lists what still keeps a candidate from being decided on: a
  passed integrity exam 廉政考试, a filed declaration 个人事项申报, a commission integrity opinion
  without objection 廉政意见. It returns [] today; the declarations/exams capability fills it in, and
  the close (services.close_meeting) already calls it: a non-empty list defers the item (R-MTG-5).
- `family_ties(person, item)` lists declared family ties of a member to an item's matter or
  candidates. [] today; `recusals()` already honours it.
"""

from __future__ import annotations

from typing import Any


def candidate_prerequisites(candidate: Any) -> list[str]:
    """Unmet integrity prerequisites of a candidate, as human (zh-Hans) reasons; [] when none."""
    return []


def family_ties(person: Any, item: Any) -> list[str]:
    """Declared family ties of `person` to `item` (its matter's counterparty or a candidate); [] today."""
    return []


def recusals(item: Any, members: list[Any], matter: Any = None) -> dict[str, str]:
    """R-MTG-9: {username: reason} of the members recused from an item.

    A member is recused when they submitted the item's matter, are its counterparty (as a person), are a
    candidate of the item, or have a declared family tie to it.
    """
    out: dict[str, str] = {}
    candidate_people = {c.person_id for c in item.candidates.all() if c.person_id}
    for person in members:
        if matter is not None and getattr(matter, "submitted_by_id", None) == person.pk:
            out[person.username] = "submitter"
        elif matter is not None and getattr(matter, "counterparty_person_id", None) == person.pk:
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
