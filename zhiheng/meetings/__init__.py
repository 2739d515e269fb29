"""Collective decisions: meetings, items, attendance, statements, tally (SPEC R-MTG)."""
