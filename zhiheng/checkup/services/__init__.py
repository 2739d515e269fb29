"""Writes of the integrity check-up, re-exported here so every interface calls `checkup.services.<use case>`:
declaring (R-GATE-2), recording exams (R-GATE-1), issuing opinions (R-GATE-4), and reading what is sealed
(every read a ledger entry)."""

from .declaring import file_declaration
from .judging import issue_opinion, record_exam
from .keys import rotate_keys
from .reading import read_declaration, read_opinion_reasons

__all__ = [
    "file_declaration",
    "issue_opinion",
    "read_declaration",
    "read_opinion_reasons",
    "record_exam",
    "rotate_keys",
]
