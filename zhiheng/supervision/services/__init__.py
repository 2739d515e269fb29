"""Writes of the supervision app, one module per use-case family."""

from .acknowledging import acknowledge, add_remark
from .issuing import Issued, catch_up, digest_of, issue_month, issue_report
from .overdue import check_overdue

__all__ = [
    "Issued",
    "acknowledge",
    "add_remark",
    "catch_up",
    "check_overdue",
    "digest_of",
    "issue_month",
    "issue_report",
]
