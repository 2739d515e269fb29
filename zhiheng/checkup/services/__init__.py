"""Writes of the integrity check-up, re-exported here so every interface calls `checkup.services.<use case>`:
declaring (R-GATE-2), the exam bank and papers, online sittings and recording exams (R-GATE-1), issuing
opinions (R-GATE-4), the integrity archive (R-GATE-3; `add_archive_entry` is its interface for later
capabilities), and reading what is sealed (every read a ledger entry)."""

from .archive import add_archive_entry, read_archive, set_archive_scheme
from .declaring import district_of, file_declaration
from .exams import draw_paper, import_questions, redraw, reproduces
from .judging import issue_opinion, record_exam
from .keys import rotate_keys
from .reading import read_declaration, read_opinion_reasons
from .sitting import mark, read_answers, save_answers, start_sitting, submit

__all__ = [
    "add_archive_entry",
    "district_of",
    "draw_paper",
    "file_declaration",
    "import_questions",
    "issue_opinion",
    "mark",
    "read_answers",
    "read_archive",
    "read_declaration",
    "read_opinion_reasons",
    "record_exam",
    "redraw",
    "reproduces",
    "rotate_keys",
    "save_answers",
    "set_archive_scheme",
    "start_sitting",
    "submit",
]
