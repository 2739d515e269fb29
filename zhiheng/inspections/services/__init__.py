"""Writes of the inspections app, one module per use-case family, re-exported here."""

from .checks import close_inspection, open_inspection
from .findings import accept_rectification, answer_rectification, record_finding, return_rectification
from .reads import note_read

__all__ = [
    "accept_rectification",
    "answer_rectification",
    "close_inspection",
    "note_read",
    "open_inspection",
    "record_finding",
    "return_rectification",
]
