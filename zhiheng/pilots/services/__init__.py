"""The pilot programmes' use cases (R-PIL-1)."""

from .programmes import add_unit, create_programme, record_visit, remove_unit, roll_out, set_phase

__all__ = ["add_unit", "create_programme", "record_visit", "remove_unit", "roll_out", "set_phase"]
