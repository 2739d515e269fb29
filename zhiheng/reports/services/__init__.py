"""Writes of the reporting channel (R-SUP-3), one module per use-case family."""

from .attachments import Upload, attach_as_reporter, attach_recorded, read_attachment
from .cases import assign_handlers, close_case, join_case, open_case, reason_of, set_deadline
from .followup import conversation, open_report, write_as_reporter
from .handling import read_report, reveal_identity, write_as_handler
from .intake import Receipt, receive
from .keys import rotate_keys

__all__ = [
    "Receipt",
    "Upload",
    "assign_handlers",
    "attach_as_reporter",
    "attach_recorded",
    "close_case",
    "conversation",
    "join_case",
    "open_case",
    "open_report",
    "read_attachment",
    "read_report",
    "reason_of",
    "receive",
    "reveal_identity",
    "rotate_keys",
    "set_deadline",
    "write_as_handler",
    "write_as_reporter",
]
