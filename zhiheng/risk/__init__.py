"""Risk register, red-flag rules and early warnings (SPEC section 10, R-GATE-6/7)."""
