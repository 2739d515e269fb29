"""Red-flag rules of SPEC section 10, one module each (rf1.py, rf2.py, …).

A rule module exposes RULE (its id), TITLE and the functions the events that trigger it call; it writes
through services.raise_warning, so every rule shares one record, one ledger code and one page.
"""

RULES: dict[str, str] = {"RF1": "一把手尝试或实施了不直接分管的行为"}
