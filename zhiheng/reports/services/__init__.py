"""Writes of the reporting channel (R-SUP-3), one module per use-case family."""

from .attachments import Upload, attach_as_reporter, attach_recorded, read_attachment
from .followup import conversation, open_report, write_as_reporter
from .handling import close_case, open_case, read_report, reason_of, reveal_identity, write_as_handler
from .intake import Receipt, receive
from .keys import rotate_keys

__all__ = [
    "Receipt",
    "Upload",
    "attach_as_reporter",
    "attach_recorded",
    "close_case",
    "conversation",
    "open_case",
    "open_report",
    "read_attachment",
    "read_report",
    "reason_of",
    "receive",
    "reveal_identity",
    "rotate_keys",
    "write_as_handler",
    "write_as_reporter",
]
